/** The embedded PostgreSQL; the offline {@code audit verify} command opens it without the web application. */
@NamedInterface("database")
package io.eksaccess.console.system.database;

import org.springframework.modulith.NamedInterface;
