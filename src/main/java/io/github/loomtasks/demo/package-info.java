/**
 * The runnable programs of the loomtasks jar (its {@code Main-Class}). The library never imports
 * this package.
 */
@NullMarked
package io.github.loomtasks.demo;

import org.jspecify.annotations.NullMarked;
