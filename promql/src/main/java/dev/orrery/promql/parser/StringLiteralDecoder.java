package dev.orrery.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Resolves the escapes of a PromQL string literal that the {@link Lexer} has already validated, as Prometheus'
 * {@code strutil.Unquote} does (Go's {@code strconv.Unquote}, with single quotes treated like double quotes): {@code
 * \a \b \f \n \r \t \v \\ \" \'}, octal {@code \NNN} and {@code &#92;xNN} bytes, {@code &#92;uNNNN} and
 * {@code &#92;UNNNNNNNN} code points; raw {@code `...`} strings are taken as they are.
 *
 * <p>A Go string may hold bytes that are not UTF-8 (e.g. {@code "\xff"}); a Java string cannot. Such bytes are
 * mapped to the lone surrogates {@code U+DC80..U+DCFF} (Python's "surrogateescape"), so that later layers can tell
 * that the value is not valid UTF-8 and print the original bytes.
 */
final class StringLiteralDecoder {
  private StringLiteralDecoder() {}

  /** Decodes the literal {@code quoted}, quotes included. */
  static String decode(String quoted) {
    char q = quoted.charAt(0);
    String body = quoted.substring(1, quoted.length() - 1);
    if (q == '`') {
      return body;
    }
    if (body.indexOf('\\') < 0) {
      return body;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length());
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    int i = 0;
    while (i < raw.length) {
      byte b = raw[i];
      if (b != '\\') {
        bytes.write(b);
        i++;
        continue;
      }
      char c = (char) raw[i + 1];
      i += 2;
      switch (c) {
        case 'a' -> bytes.write(0x07);
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(0x0B);
        case '\\', '\'', '"' -> bytes.write(c);
        case 'x' -> {
          bytes.write(Integer.parseInt(new String(raw, i, 2, StandardCharsets.US_ASCII), 16));
          i += 2;
        }
        case 'u', 'U' -> {
          int n = c == 'u' ? 4 : 8;
          int cp = Integer.parseInt(new String(raw, i, n, StandardCharsets.US_ASCII), 16);
          byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          bytes.write(enc, 0, enc.length);
          i += n;
        }
        default -> {
          // Octal \NNN: the lexer has checked three octal digits with a value <= 255.
          bytes.write(Integer.parseInt(new String(raw, i - 1, 3, StandardCharsets.US_ASCII), 8));
          i += 2;
        }
      }
    }
    return decodeUtf8Escaping(bytes.toByteArray());
  }

  // UTF-8 to String; each byte of an invalid sequence becomes U+DC00 + byte.
  private static String decodeUtf8Escaping(byte[] data) {
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return strict.decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      StringBuilder sb = new StringBuilder(data.length);
      int i = 0;
      while (i < data.length) {
        int len = validSequenceLength(data, i);
        if (len > 0) {
          sb.append(new String(data, i, len, StandardCharsets.UTF_8));
          i += len;
        } else {
          sb.append((char) (0xDC00 + (data[i] & 0xFF)));
          i++;
        }
      }
      return sb.toString();
    }
  }

  // Length of the valid UTF-8 sequence starting at i, or 0 when the byte there does not start one.
  private static int validSequenceLength(byte[] d, int i) {
    int cp = Utf8Runes.decode(d, i);
    return cp < 0 ? 0 : Utf8Runes.width(cp);
  }
}
