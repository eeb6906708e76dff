package org.tidepool.clinic.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;

/**
 * The ceiling for GetClinic and GetPatient: one Vert.x route per read that takes the document
 * straight from the same MongoDB and returns it, with no contract validation, auth, event bus or mapping.
 */
final class BareMongoRoute extends VerticleBase {
  private final JsonObject mongoConfig;
  private final int port;

  BareMongoRoute(JsonObject mongoConfig, int port) {
    this.mongoConfig = mongoConfig;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    MongoClient mongo = MongoClient.createShared(vertx, mongoConfig, "bare-route");
    Router router = Router.router(vertx);
    router.get("/bare/clinics/:clinicId").handler(rc ->
        mongo.findOne("clinics", new JsonObject().put("_id", new JsonObject().put("$oid", rc.pathParam("clinicId"))), null)
            .onSuccess(doc -> found(rc, doc))
            .onFailure(rc::fail));
    router.get("/bare/clinics/:clinicId/patients/:userId").handler(rc ->
        mongo.findOne("patients", new JsonObject().put("clinicId", new JsonObject().put("$oid", rc.pathParam("clinicId")))
                .put("userId", rc.pathParam("userId")), null)
            .onSuccess(doc -> found(rc, doc))
            .onFailure(rc::fail));
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  private static void found(io.vertx.ext.web.RoutingContext rc, JsonObject doc) {
    if (doc == null) {
      rc.response().setStatusCode(404).end();
    } else {
      rc.response().putHeader("content-type", "application/json").end(doc.encode());
    }
  }
}
