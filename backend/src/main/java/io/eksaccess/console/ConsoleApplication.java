package io.eksaccess.console;

import io.eksaccess.console.cli.ConsoleCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Entry point. {@code java -jar eks-access-console.jar} serves the console; {@code java -jar
 * eks-access-console.jar <command> …} runs an offline command and never starts the web server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ConsoleApplication {

    public static void main(String[] args) {
        if (ConsoleCli.isCommand(args)) {
            System.exit(ConsoleCli.runOnStandardStreams(args));
        }
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
