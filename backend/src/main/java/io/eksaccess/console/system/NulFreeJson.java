package io.eksaccess.console.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON text values may not hold a NUL character ({@code \u0000}): PostgreSQL text cannot store one, so
 * a justification or a cluster name with one would fail at the database as a 500. Refused while the
 * body is read instead, as a 400 naming the field (the parameters' rule is in {@link HeaderFirewall}).
 */
@Configuration(proxyBeanMethods = false)
class NulFreeJson {

    static final String REFUSAL = "holds a NUL character (\\u0000), which the console cannot store; remove it";

    @Bean
    JacksonModule nulFreeStrings() {
        return new SimpleModule("nul-free-strings").addDeserializer(String.class, new NulFreeStrings());
    }

    static final class NulFreeStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(parser, REFUSAL, "…", String.class);
            }
            return value;
        }
    }
}
