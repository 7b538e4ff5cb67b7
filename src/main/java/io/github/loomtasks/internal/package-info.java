/**
 * Mechanics of loomtasks that name no API type: stack inspection, interrupt classification,
 * signal handling. Not an API: anything here may change without notice.
 */
@NullMarked
package io.github.loomtasks.internal;

import org.jspecify.annotations.NullMarked;
