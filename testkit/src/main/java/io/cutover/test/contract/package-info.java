/**
 * The contract suites every adapter passes: extend {@link io.cutover.test.contract.WorkloadsContract},
 * {@link io.cutover.test.contract.TrafficRouterContract} or {@link io.cutover.test.contract.StateStoreContract} in a JUnit 5
 * test, hand it your implementation, and it checks what the engine relies on.
 */
package io.cutover.test.contract;
