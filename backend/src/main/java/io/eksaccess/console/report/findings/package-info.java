/** The best-practice findings engine; the offline {@code findings} command runs it over a cluster dump. */
@NamedInterface("findings")
package io.eksaccess.console.report.findings;

import org.springframework.modulith.NamedInterface;
