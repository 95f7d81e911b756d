package realtime

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// Text is a document or an inserted piece as UTF-16 code units, the unit
// JavaScript and CodeMirror count positions in. The authority only ever
// holds well-formed text: no lone surrogates (see CheckBoundaries).
type Text []uint16

// TextOf converts a Go string to UTF-16.
func TextOf(s string) Text { return utf16.Encode([]rune(s)) }

// String converts well-formed UTF-16 back to a Go string.
func (t Text) String() string { return string(utf16.Decode(t)) }

func isHigh(u uint16) bool { return u >= 0xd800 && u < 0xdc00 }
func isLow(u uint16) bool  { return u >= 0xdc00 && u < 0xe000 }

// WellFormed reports whether t has no lone surrogates.
func (t Text) WellFormed() bool {
	for i := 0; i < len(t); i++ {
		switch {
		case isHigh(t[i]):
			if i+1 >= len(t) || !isLow(t[i+1]) {
				return false
			}
			i++
		case isLow(t[i]):
			return false
		}
	}
	return true
}

// splitsPair reports whether position pos falls between the two halves of
// a surrogate pair.
func (t Text) splitsPair(pos int) bool {
	return pos > 0 && pos < len(t) && isHigh(t[pos-1]) && isLow(t[pos])
}

var errBadString = errors.New("malformed JSON string")

// decodeJSONString decodes a JSON string literal (with its quotes) straight
// to UTF-16, so that escapes such as "\ud83d" are seen for what they are:
// encoding/json would silently turn a lone surrogate into U+FFFD, and the
// server's text would then differ from the client's.
func decodeJSONString(raw []byte) (Text, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, errBadString
	}
	raw = raw[1 : len(raw)-1]
	out := make(Text, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			if i+1 >= len(raw) {
				return nil, errBadString
			}
			i++
			switch raw[i] {
			case '"', '\\', '/':
				out = append(out, uint16(raw[i]))
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				if i+4 >= len(raw) {
					return nil, errBadString
				}
				var v uint16
				for _, h := range raw[i+1 : i+5] {
					v <<= 4
					switch {
					case h >= '0' && h <= '9':
						v |= uint16(h - '0')
					case h >= 'a' && h <= 'f':
						v |= uint16(h - 'a' + 10)
					case h >= 'A' && h <= 'F':
						v |= uint16(h - 'A' + 10)
					default:
						return nil, errBadString
					}
				}
				out = append(out, v)
				i += 4
			default:
				return nil, errBadString
			}
			i++
		case c < 0x20:
			return nil, errBadString
		case c < utf8.RuneSelf:
			out = append(out, uint16(c))
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, errBadString
			}
			out = utf16.AppendRune(out, r)
			i += n
		}
	}
	return out, nil
}

// appendJSONString appends t as a JSON string literal. t is well-formed.
func appendJSONString(b []byte, t Text) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(t); i++ {
		u := t[i]
		switch {
		case u == '"' || u == '\\':
			b = append(b, '\\', byte(u))
		case u == '\n':
			b = append(b, '\\', 'n')
		case u == '\r':
			b = append(b, '\\', 'r')
		case u == '\t':
			b = append(b, '\\', 't')
		case u < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[u>>4], hex[u&0xf])
		case u < utf8.RuneSelf:
			b = append(b, byte(u))
		case isHigh(u) && i+1 < len(t) && isLow(t[i+1]):
			b = utf8.AppendRune(b, utf16.DecodeRune(rune(u), rune(t[i+1])))
			i++
		default:
			b = utf8.AppendRune(b, rune(u))
		}
	}
	return append(b, '"')
}
