/** Plans: the data every strategy compiles to, and the steps the engine interprets. */
package io.cutover.plan;
