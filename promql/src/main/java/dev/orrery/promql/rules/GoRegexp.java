package dev.orrery.promql.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * The Go {@code regexp} calls behind the {@code match} and {@code reReplaceAll} template functions, on RE2/J (the
 * same RE2 syntax): unanchored matching, and {@code ReplaceAllString} with Go's {@code $1}, {@code ${1}},
 * {@code $name} and {@code $$} expansion and its rule that an empty match right after a match is not replaced.
 */
final class GoRegexp {
  private GoRegexp() {}

  /** {@code regexp.MatchString(pattern, s)}: whether {@code s} contains a match. */
  static boolean match(String pattern, String s) throws TemplateCallException {
    try {
      return Pattern.compile(pattern).matcher(s).find();
    } catch (PatternSyntaxException e) {
      // RE2/J words the error as Go does: error parsing regexp: missing closing ): `(a`
      throw new TemplateCallException(e.getMessage());
    }
  }

  /** {@code regexp.MustCompile(pattern).ReplaceAllString(src, repl)}. */
  static String replaceAll(String pattern, String repl, String src) throws TemplateCallException {
    Pattern re;
    try {
      re = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      // MustCompile panics with this text; text/template turns the panic into the call's error.
      throw new TemplateCallException("regexp: Compile(" + quote(pattern) + "): " + e.getMessage());
    }
    Matcher m = re.matcher(src);
    Map<String, Integer> names = re.namedGroups();
    StringBuilder out = new StringBuilder(src.length());
    int lastMatchEnd = 0;
    int searchPos = 0;
    int end = src.length();
    // regexp.replaceAll: successive non-overlapping matches; an empty match abutting the previous one is skipped.
    while (searchPos <= end && m.find(searchPos)) {
      out.append(src, lastMatchEnd, m.start());
      if (m.end() > lastMatchEnd || m.start() == 0) {
        expand(out, repl, m, names);
      }
      lastMatchEnd = m.end();
      int width = searchPos < end ? Character.charCount(src.codePointAt(searchPos)) : 1;
      searchPos = searchPos + width > m.end() ? searchPos + width : m.end();
    }
    out.append(src, lastMatchEnd, end);
    return out.toString();
  }

  // regexp.expand: $$ is a dollar; $name and ${name} are groups by number or name; a malformed $ is kept as text.
  private static void expand(StringBuilder out, String template, Matcher m, Map<String, Integer> names) {
    int i = 0;
    while (i < template.length()) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      boolean brace = i < template.length() && template.charAt(i) == '{';
      int nameStart = brace ? i + 1 : i;
      int nameEnd = nameStart;
      while (nameEnd < template.length()) {
        int cp = template.codePointAt(nameEnd);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        nameEnd += Character.charCount(cp);
      }
      if (nameEnd == nameStart || (brace && (nameEnd >= template.length() || template.charAt(nameEnd) != '}'))) {
        out.append('$');
        continue;
      }
      String name = template.substring(nameStart, nameEnd);
      i = brace ? nameEnd + 1 : nameEnd;
      int group = groupNumber(name);
      if (group < 0) {
        Integer named = names.get(name);
        group = named == null ? -1 : named;
      }
      if (group >= 0 && group <= m.groupCount() && m.start(group) >= 0) {
        out.append(m.group(group));
      }
    }
    out.append(template, i, template.length());
  }

  // A name of ASCII digits without a leading zero is a group number; anything else is a group name.
  private static int groupNumber(String name) {
    int num = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + c - '0';
    }
    if (name.charAt(0) == '0' && name.length() > 1) {
      return -1;
    }
    return num;
  }

  // regexp's quote: backquoted when strconv.CanBackquote allows, otherwise strconv.Quote.
  private static String quote(String s) {
    boolean canBackquote = s.indexOf('`') < 0 && s.indexOf('\uFEFF') < 0
        && s.chars().noneMatch(c -> (c < ' ' && c != '\t') || c == 0x7F);
    return canBackquote ? "`" + s + "`" : GoFormat.quote(s);
  }
}
