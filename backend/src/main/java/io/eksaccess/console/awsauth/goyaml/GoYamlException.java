package io.eksaccess.console.awsauth.goyaml;

/** The YAML cannot be read, or go-yaml would refuse to decode it; the message says why. */
public class GoYamlException extends Exception {

    public GoYamlException(String message) {
        super(message);
    }
}
