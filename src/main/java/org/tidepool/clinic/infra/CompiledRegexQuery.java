package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A query to match with, whose field conditions {@code {$regex: p, $options: o}} are
 * {@link BsonRegularExpression}s. mongo-java-server's matcher treats both alike (a regular
 * expression of that pattern and those options, or none), but makes a new expression of a
 * document at every value it matches, so a search compiled its pattern again for every field of
 * every document it read (a tenth of a search's CPU); an expression compiles once. Only for
 * matching: index selection reads the query as sent (an expression is no plain value to look up).
 */
final class CompiledRegexQuery {
  private static final Set<String> REGEX_KEYS = Set.of("$regex", "$options");
  private static final Set<String> LISTS = Set.of("$and", "$or", "$nor");

  private CompiledRegexQuery() {}

  /** The query with its regular expressions compiled once (the same instance when it has none). */
  static Document of(Document query) {
    Document compiled = null;
    for (Map.Entry<String, Object> entry : query.entrySet()) {
      Object value = entry.getValue();
      Object replaced = LISTS.contains(entry.getKey()) ? conditions(value) : entry.getKey().startsWith("$") ? value : expression(value);
      if (replaced != value) {
        if (compiled == null) {
          compiled = new Document(query);
        }
        compiled.put(entry.getKey(), replaced);
      }
    }
    return compiled == null ? query : compiled;
  }

  /** An aggregate command whose first stage, a {@code $match}, has its expressions compiled ({@link #of}). */
  static Document inFirstMatch(Document command) {
    List<?> stages = (List<?>) command.get("pipeline");
    Document match = (Document) ((Document) stages.get(0)).get("$match");
    Document compiled = of(match);
    if (compiled == match) {
      return command;
    }
    List<Object> pipeline = new ArrayList<>(stages);
    pipeline.set(0, new Document("$match", compiled));
    Document rewritten = new Document(command);
    rewritten.put("pipeline", pipeline);
    return rewritten;
  }

  private static Object conditions(Object value) {
    if (!(value instanceof Collection<?> conditions)) {
      return value;
    }
    List<Object> replaced = new ArrayList<>(conditions.size());
    boolean changed = false;
    for (Object condition : conditions) {
      Object each = condition instanceof Document document ? of(document) : condition;
      changed |= each != condition;
      replaced.add(each);
    }
    return changed ? replaced : value;
  }

  /** {@code {$regex: "p"}} or {@code {$regex: "p", $options: "o"}} as the expression the matcher would make of it. */
  private static Object expression(Object value) {
    if (value instanceof Document condition && condition.get("$regex") instanceof String pattern
        && REGEX_KEYS.containsAll(condition.keySet())) {
      Object options = condition.containsKey("$options") ? condition.get("$options") : "";
      if (options instanceof String text) {
        return new BsonRegularExpression(pattern, text);
      }
    }
    return value;
  }
}
