/**
 * An example service that embeds loomtasks: one scope per HTTP request with a deadline, fan-out
 * to simulated backends, cancellation when the client goes away, the live registry at
 * {@code GET /tasks}, and a graceful stop on SIGTERM or Ctrl-C. Built on the JDK's own
 * {@code com.sun.net.httpserver}; see docs/services.md. The library never imports this package.
 */
@NullMarked
package io.github.loomtasks.demo.service;

import org.jspecify.annotations.NullMarked;
