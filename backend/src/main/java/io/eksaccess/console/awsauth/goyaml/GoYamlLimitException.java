package io.eksaccess.console.awsauth.goyaml;

/**
 * The YAML is beyond what the console reads (too large, too deep, too much alias expansion),
 * whatever go-yaml would make of it: the console cannot say what the authenticator does with it.
 */
public final class GoYamlLimitException extends GoYamlException {

    public GoYamlLimitException(String message) {
        super(message);
    }
}
