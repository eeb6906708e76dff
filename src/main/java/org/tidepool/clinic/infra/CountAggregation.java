package org.tidepool.clinic.infra;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;

/**
 * The aggregation a driver's {@code countDocuments} sends: {@code [{$match: M}, {$group: {_id:
 * <constant>, n: {$sum: 1}}}]}. When the postings know how many documents match {@code M}
 * ({@link KeyLookupH2Collection#exactCount}), it is answered by the same aggregation's
 * {@code $group} with {@code $sum: N} over one empty document (none when N is 0: then, as for
 * a scan, no group at all), so the reply is mongo-java-server's own, without reading a document.
 */
final class CountAggregation {
  private CountAggregation() {}

  /** The {@code $match} of a count aggregation, or null when the pipeline is not one. */
  static Document match(Object pipeline) {
    if (!(pipeline instanceof List<?> stages) || stages.size() != 2 || !(stages.get(0) instanceof Document first)
        || first.size() != 1 || !(first.get("$match") instanceof Document match) || group(stages.get(1)) == null) {
      return null;
    }
    return match;
  }

  /** The command with the pipeline {@code [{$group: {_id: <same>, n: {$sum: count}}}]}, to run over {@link #input}. */
  static Document counted(Document command, int count) {
    Document group = group(((List<?>) command.get("pipeline")).get(1));
    String name = countName(command);
    Document rewritten = new Document(command);
    rewritten.put("pipeline", List.of(new Document("$group", new Document("_id", group.get("_id"))
        .append(name, new Document("$sum", count)))));
    return rewritten;
  }

  /** The name of the count in the group of a count aggregation's command. */
  static String countName(Document command) {
    Document group = group(((List<?>) command.get("pipeline")).get(1));
    return group.keySet().stream().filter(key -> !key.equals("_id")).findFirst().orElseThrow();
  }

  /** What the counted pipeline reads: one document to sum over, or none for a count of 0. */
  static List<Document> input(int count) {
    return count > 0 ? List.of(new Document()) : List.of();
  }

  /** The group stage {@code {_id: constant, name: {$sum: 1}}}, or null. */
  private static Document group(Object stage) {
    if (!(stage instanceof Document document) || document.size() != 1 || !(document.get("$group") instanceof Document group)
        || group.size() != 2 || !group.containsKey("_id")) {
      return null;
    }
    Object id = group.get("_id");
    if (id instanceof Document || id instanceof List || (id instanceof String text && text.startsWith("$"))) {
      return null;
    }
    for (Map.Entry<String, Object> entry : group.entrySet()) {
      if (!entry.getKey().equals("_id") && !(entry.getValue() instanceof Document sum && sum.size() == 1
          && sum.get("$sum") instanceof Number one && one.doubleValue() == 1.0 && (one instanceof Integer || one instanceof Long))) {
        return null;
      }
    }
    return group;
  }
}
