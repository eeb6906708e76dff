package org.tidepool.clinic.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of the service uses which, read from the sources: every {@code import} and
 * every fully qualified name of one of our classes. Sources rather than bytecode, because the
 * compiler inlines constants (an address, a collection name) and their use would not show.
 * Packages are named relative to {@value #ROOT} ("cdc.outbox").
 */
final class PackageDependencies {
  static final String ROOT = "org.tidepool.clinic";
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.tidepool\\.clinic\\.((?:[a-z]\\w*\\.)*)[A-Z]");

  /** package → the packages it uses (itself excluded). */
  final Map<String, Set<String>> uses = new TreeMap<>();

  static PackageDependencies of(Path sourceRoot) {
    PackageDependencies dependencies = new PackageDependencies();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      files.filter(file -> file.toString().endsWith(".java")).forEach(dependencies::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dependencies;
  }

  private void add(Path file) {
    String source;
    try {
      source = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher declared = PACKAGE.matcher(source);
    if (!declared.find()) {
      return;
    }
    String from = relative(declared.group(1));
    Set<String> used = uses.computeIfAbsent(from, name -> new TreeSet<>());
    Matcher reference = REFERENCE.matcher(source);
    while (reference.find()) {
      String to = reference.group(1).isEmpty() ? "" : reference.group(1).substring(0, reference.group(1).length() - 1);
      if (!to.equals(from)) {
        used.add(to);
      }
    }
  }

  private static String relative(String packageName) {
    return packageName.equals(ROOT) ? "" : packageName.substring(ROOT.length() + 1);
  }

  /** The groups of packages that use each other in a circle (strongly connected components of more than one package). */
  List<Set<String>> cycles() {
    return new Tarjan().components().stream().filter(component -> component.size() > 1).toList();
  }

  /** Tarjan's strongly connected components over {@link #uses}. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Set<String>> components = new ArrayList<>();

    List<Set<String>> components() {
      uses.keySet().forEach(node -> {
        if (!index.containsKey(node)) {
          visit(node);
        }
      });
      return components;
    }

    private void visit(String node) {
      index.put(node, index.size());
      low.put(node, index.get(node));
      stack.push(node);
      onStack.add(node);
      for (String next : uses.getOrDefault(node, Set.of())) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(node, Math.min(low.get(node), low.get(next)));
        } else if (onStack.contains(next)) {
          low.put(node, Math.min(low.get(node), index.get(next)));
        }
      }
      if (low.get(node).equals(index.get(node))) {
        Set<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(node));
        components.add(component);
      }
    }
  }
}
