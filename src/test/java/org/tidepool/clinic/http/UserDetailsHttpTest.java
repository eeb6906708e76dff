package org.tidepool.clinic.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** UpdateClinicUserDetails over HTTP: a user's new email reaches all their clinician records, or none of them. */
class UserDetailsHttpTest extends HttpTestBase {

  private String emailIn(JsonObject clinic, Person person) {
    return ok(get("/v1/clinics/" + clinic.getString("id") + "/clinicians/" + person.id(), server)).getString("email");
  }

  private static void noContent(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(204);
    assertThat(response.bodyAsString()).isNullOrEmpty();
  }

  @Test
  void theNewEmailGoesToEveryClinicianRecordOfTheUser() {
    Person mover = person("Mo Mover");
    JsonObject first = createClinic(mover, "First Home");
    JsonObject second = createClinic(person("Other Owner"), "Second Home");
    addMember(second.getString("id"), mover, "CLINIC_MEMBER");
    String fresh = "Mo.New." + mover.id() + "@Example.org";

    noContent(call(HttpMethod.POST, "/v1/users/" + mover.id() + "/clinics", server, new JsonObject().put("email", fresh)));

    assertThat(emailIn(first, mover)).isEqualTo(fresh.toLowerCase());
    assertThat(emailIn(second, mover)).isEqualTo(fresh.toLowerCase());
    noContent(call(HttpMethod.POST, "/v1/users/" + mover.id() + "/clinics", server, new JsonObject()));
    assertThat(emailIn(first, mover)).as("no email given: nothing changes").isEqualTo(fresh.toLowerCase());
    noContent(call(HttpMethod.POST, "/v1/users/" + newUserId() + "/clinics", server, new JsonObject().put("email", fresh)));
  }

  @Test
  void anEmailAnotherClinicianOfOneOfTheClinicsHasIsRefusedEverywhere() {
    Person mover = person("Cy Clash");
    Person holder = person("Holder");
    JsonObject own = createClinic(mover, "Own Clinic");
    JsonObject shared = createClinic(holder, "Shared Clinic");
    addMember(shared.getString("id"), mover, "CLINIC_MEMBER");

    assertError(call(HttpMethod.POST, "/v1/users/" + mover.id() + "/clinics", server,
        new JsonObject().put("email", holder.email().toUpperCase())), 422, "another clinician");

    assertThat(emailIn(own, mover)).as("not even the clinic without the clash").isEqualTo(mover.email());
    assertThat(emailIn(shared, mover)).isEqualTo(mover.email());
  }

  @Test
  void itIsForServicesWithAWellFormedEmail() {
    Person user = person("Self Changer");
    JsonObject clinic = createClinic(user, "Self Clinic");
    assertError(call(HttpMethod.POST, "/v1/users/" + user.id() + "/clinics", user.token(),
        new JsonObject().put("email", "me@example.org")), 403, "");
    assertError(call(HttpMethod.POST, "/v1/users/" + user.id() + "/clinics", server, new JsonObject().put("email", "not an email")), 400,
        "email");
    assertError(call(HttpMethod.POST, "/v1/users/" + user.id() + "/clinics", server, new JsonObject().put("email", "")), 400, "email");
    assertError(call(HttpMethod.POST, "/v1/users/NOT-A-USER/clinics", server, new JsonObject().put("email", "a@example.org")), 400,
        "userId");
    assertError(call(HttpMethod.POST, "/v1/users/" + user.id() + "/clinics", null, new JsonObject().put("email", "a@example.org")), 401, "");
    assertThat(emailIn(clinic, user)).isEqualTo(user.email());
  }
}
