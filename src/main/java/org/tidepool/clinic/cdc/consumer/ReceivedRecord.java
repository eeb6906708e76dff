package org.tidepool.clinic.cdc.consumer;

import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.HashMap;
import java.util.Map;

/** One consumed Kafka record as the handlers read it: text key and value, the last value of each header. */
public record ReceivedRecord(String topic, int partition, long offset, String key, String value, Map<String, String> headers) {

  static ReceivedRecord of(KafkaConsumerRecord<Buffer, Buffer> record) {
    Map<String, String> headers = new HashMap<>();
    for (KafkaHeader header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : header.value().toString());
    }
    return new ReceivedRecord(record.topic(), record.partition(), record.offset(),
        record.key() == null ? null : record.key().toString(), record.value() == null ? null : record.value().toString(), headers);
  }
}
