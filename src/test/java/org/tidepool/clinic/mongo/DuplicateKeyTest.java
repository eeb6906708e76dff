package org.tidepool.clinic.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoException;
import org.junit.jupiter.api.Test;

/** Duplicate-key refusals as the servers report them: code 11000, and 11001 / 12582 of older servers and mongos. */
class DuplicateKeyTest {
  @Test
  void everyDuplicateKeyCodeIsRecognisedAlsoAsACause() {
    for (int code : new int[] {11000, 11001, 12582}) {
      assertThat(MongoJson.isDuplicateKey(new MongoException(code, "refused"))).as("code " + code).isTrue();
      assertThat(MongoJson.isDuplicateKey(new RuntimeException("wrapped", new MongoException(code, "refused")))).isTrue();
    }
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(MongoJson.isDuplicateKey(new MongoException(112, "write conflict"))).isFalse();
    assertThat(MongoJson.isDuplicateKey(new IllegalStateException("no"))).isFalse();
    assertThat(MongoJson.isDuplicateKey(new RuntimeException("E11000 duplicate key error collection: clinic.clinics"))).isTrue();
  }
}
