package org.tidepool.clinic.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Collator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The stored name key orders as MongoDB's en collation at strength 1, which java.text.Collator does not. */
class NameOrderTest {
  @Test
  void caseAndAccentsAreIgnored() {
    assertThat(NameOrder.key("Émile Zola")).isEqualTo(NameOrder.key("emile zola")).isEqualTo(NameOrder.key("EMILE ZOLA"));
    assertThat(NameOrder.key("Zoë")).isEqualTo(NameOrder.key("zoe"));
    assertThat(NameOrder.key("Straße")).isEqualTo(NameOrder.key("strasse"));
    assertThat(NameOrder.key("Ångström")).isEqualTo(NameOrder.key("angstrom"));
  }

  @Test
  void spacesAndPunctuationCountAndComeBeforeDigitsAndLetters() {
    List<String> names = new ArrayList<>(List.of("annabel", "Anna-Maria", "Anna Maria", "anna2", "a.b", "Anna_Maria"));
    names.sort(Comparator.comparing(NameOrder::key));
    assertThat(names).containsExactly("a.b", "Anna Maria", "Anna_Maria", "Anna-Maria", "anna2", "annabel");
  }

  @Test
  void javaTextCollatorWouldIgnoreTheHyphen() {
    Collator collator = Collator.getInstance(Locale.ENGLISH);
    collator.setStrength(Collator.PRIMARY);
    assertThat(collator.compare("Anna-Maria", "Annabel")).isPositive(); // "annamaria" > "annabel": not the database's order
    assertThat(NameOrder.key("Anna-Maria").compareTo(NameOrder.key("Annabel"))).isNegative();
  }
}
