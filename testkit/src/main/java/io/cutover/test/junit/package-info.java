/** A JUnit 5 extension that gives a test a simulated platform, an engine on virtual time, and a picture when it fails. */
package io.cutover.test.junit;
