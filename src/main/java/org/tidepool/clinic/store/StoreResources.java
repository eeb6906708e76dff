package org.tidepool.clinic.store;

import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import org.tidepool.clinic.intents.ClinicLock;
import org.tidepool.clinic.intents.IntentLog;
import org.tidepool.clinic.mongo.PublishedWrites;

/**
 * What the store gives its domain modules: the clinic database, its published writes, the settings,
 * the per-clinic lock and the log of multi-document operations (whose resumers the modules register).
 */
public record StoreResources(Vertx vertx, MongoClient mongo, PublishedWrites writes, StoreConfig config,
                             ClinicLock locks, IntentLog intents) {}
