package org.tidepool.clinic.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One set of embedded servers per test JVM, and the test stacks of each class on them. Resolves
 * parameters of type {@link TestStacks} (the class's stacks, closed after the class) and
 * {@link SharedServers} (for a class that deploys verticles itself). The servers live in the root
 * store: JUnit closes them once, after the last class.
 */
public final class TestStackExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestStackExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestStacks.class || type == SharedServers.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SharedServers servers = context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent(SharedServers.class, key -> new SharedServers(), SharedServers.class);
    if (parameter.getParameter().getType() == SharedServers.class) {
      return servers;
    }
    ExtensionContext classContext = classContextOf(context);
    Class<?> testClass = classContext.getRequiredTestClass();
    return classContext.getStore(STORE)
        .getOrComputeIfAbsent(TestStacks.class, key -> new TestStacks(servers, testClass), TestStacks.class);
  }

  /** The context of the test class, also when asked from a test method's context. */
  private static ExtensionContext classContextOf(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
