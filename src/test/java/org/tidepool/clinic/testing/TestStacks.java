package org.tidepool.clinic.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the {@link TestStack}s of one test class on the {@link SharedServers}, each in a fresh
 * {@link Namespace}; {@link TestStackExtension} closes them after the class. Ask for it as a
 * parameter of {@code @BeforeAll} (or of a test).
 */
public final class TestStacks implements AutoCloseable {
  private final SharedServers servers;
  private final Class<?> owner;
  private final List<TestStack> started = new ArrayList<>();

  TestStacks(SharedServers servers, Class<?> owner) {
    this.servers = servers;
    this.owner = owner;
  }

  public TestStack start() {
    return start(new JsonObject());
  }

  /** Test defaults, then the overrides (any key of conf/config.yaml); a server they configure is used instead of the shared one. */
  public synchronized TestStack start(JsonObject overrides) {
    TestStack stack = TestStack.start(servers, servers.newNamespace(owner), overrides);
    started.add(stack);
    return stack;
  }

  public SharedServers servers() {
    return servers;
  }

  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }
}
