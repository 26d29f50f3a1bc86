package minjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// The oracle is encoding/json: Parse accepts what json.Valid accepts, the
// values agree with json.Decoder's (numbers as json.Number), and a repeated
// key is reported exactly when a token walk finds one.

// plain converts v to what encoding/json decodes with UseNumber, the last of
// repeated keys winning as it does there.
func plain(v Value) any {
	switch v.Kind {
	case Bool:
		return v.Text == "true"
	case Number:
		return json.Number(v.Text)
	case String:
		return v.Text
	case Array:
		out := []any{}
		for _, it := range v.Items {
			out = append(out, plain(it))
		}
		return out
	case Object:
		out := map[string]any{}
		for _, m := range v.Members {
			out[m.Key] = plain(m.Value)
		}
		return out
	}
	return nil
}

func equal(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb) // maps marshal with sorted keys
}

// firstDuplicate walks encoding/json's tokens and returns the first key
// repeated within one object, or "" and false.
func firstDuplicate(b []byte) (string, bool) {
	type frame struct {
		keys      map[string]bool // nil for an array
		expectKey bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && top.keys != nil {
					top.expectKey = true
				}
				f := &frame{}
				if d == '{' {
					f.keys, f.expectKey = map[string]bool{}, true
				}
				stack = append(stack, f)
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if top == nil || top.keys == nil {
			continue
		}
		if !top.expectKey {
			top.expectKey = true
			continue
		}
		k, _ := tok.(string)
		if top.keys[k] {
			return k, true
		}
		top.keys[k], top.expectKey = true, false
	}
}

func checkAgainstEncodingJSON(t *testing.T, b []byte) {
	t.Helper()
	v, err := Parse(b)
	var syn *SyntaxError
	var dup *DuplicateKeyError
	if !json.Valid(b) {
		if !errors.As(err, &syn) {
			t.Fatalf("Parse(%q): encoding/json refuses it, Parse gives %v", b, err)
		}
		return
	}
	if errors.As(err, &syn) {
		t.Fatalf("Parse(%q): encoding/json accepts it, Parse refuses: %v", b, err)
	}
	key, repeated := firstDuplicate(b)
	switch {
	case repeated && (!errors.As(err, &dup) || dup.Key != key):
		t.Fatalf("Parse(%q): key %q is repeated, Parse gives %v", b, key, err)
	case !repeated && err != nil:
		t.Fatalf("Parse(%q): %v", b, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("encoding/json cannot decode %q: %v", b, err)
	}
	if got := plain(v); !equal(got, want) {
		t.Fatalf("Parse(%q) = %#v, encoding/json decodes %#v", b, got, want)
	}
}

var parseSeeds = []string{
	`null`, `true`, `false`, `0`, `-0`, `-1.5e+3`, `1E-2`, `12345678901234567890123`,
	`""`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00"`,
	`"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, `"\ud83dx"`, "\"\xff\xfe\"", "\"\xed\xa0\x80\"", "\"é€😀\"",
	`[]`, `{}`, ` [1, "a", {"b": [true, null]}] `, `{"a":1,"b":{"a":2}}`, `{"a":1,"a":2}`,
	`{"a":1,"\u0061":2}`, `[{"x":{"y":1,"y":2}},{"x":1,"x":2}]`, `{"a":{"b":1,"b":2},"a":3}`,
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"a":10}`,
	``, ` `, `nul`, `tru`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`,
	`[1 2]`, `"abc`, `"\x"`, `"\u12g4"`, "\"\x01\"", `"\`, `{"a":1}x`, `{} {}`, "\ufeff{}", `[`, `{"a":`,
	"\t{\r\n}\n", `1 `, ` "\u0000"`, `{"":0}`, `[[[[[]]]]]`,
}

func TestParseAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range parseSeeds {
		checkAgainstEncodingJSON(t, []byte(s))
	}
	deep := func(n int) []byte { return []byte(strings.Repeat("[", n) + strings.Repeat("]", n)) }
	for _, n := range []int{MaxDepth, MaxDepth + 1} {
		checkAgainstEncodingJSON(t, deep(n))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkAgainstEncodingJSON(t, b)
		v, err := Parse(b)
		if err != nil {
			return
		}
		// What Parse reads, the Writer writes back as the same value.
		var w Writer
		write(&w, v)
		back, err := Parse(w.Bytes())
		if err != nil || !equal(plain(back), plain(numbersAsStrings(v))) {
			t.Fatalf("Parse(%q) written as %q reads back as %#v, %v", b, w.Bytes(), plain(back), err)
		}
	})
}

func numbersAsStrings(v Value) Value {
	switch v.Kind {
	case Number:
		v.Kind = String
	case Array:
		items := make([]Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = numbersAsStrings(it)
		}
		v.Items = items
	case Object:
		members := make([]Member, len(v.Members))
		for i, m := range v.Members {
			members[i] = Member{m.Key, numbersAsStrings(m.Value)}
		}
		v.Members = members
	}
	return v
}

func write(w *Writer, v Value) {
	switch v.Kind {
	case Null:
		w.Null()
	case Bool:
		w.Bool(v.Text == "true")
	case Number, String: // a Number's text is written as a string, to test escaping more
		w.String(v.Text)
	case Array:
		w.BeginArray()
		for _, it := range v.Items {
			write(w, it)
		}
		w.EndArray()
	case Object:
		w.BeginObject()
		for _, m := range v.Members {
			w.Key(m.Key)
			write(w, m.Value)
		}
		w.EndObject()
	}
}

func TestDuplicateKey(t *testing.T) {
	cases := map[string]string{
		`{"a":1,"b":{"a":2}}`:           "",
		`{"a":[{"x":1},{"x":1}]}`:       "",
		`{"a":{"b":[1,{"c":1}]},"d":1}`: "",
		`{"a":{"b":1},"a":2}`:           "a",
		`[{"x":1,"y":[1],"x":2}]`:       "x",
		`{"a":[1,2],"b":"a","a":3}`:     "a",
		`{"s":"x","t":{"u":{},"u":1}}`:  "u",
		`{"a":{"b":1,"b":2},"a":3}`:     "b", // the first in document order
		`{"\u0061":1,"a":2}`:            "a", // compared decoded
	}
	for in, want := range cases {
		_, err := Parse([]byte(in))
		got := ""
		if dup := (*DuplicateKeyError)(nil); errors.As(err, &dup) {
			got = dup.Key
		} else if err != nil {
			t.Errorf("Parse(%s): %v", in, err)
		}
		if got != want {
			t.Errorf("Parse(%s): repeated key %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	_, err := Parse([]byte(`{"a":[1,2}`))
	var syn *SyntaxError
	if !errors.As(err, &syn) || syn.Offset != 9 || err.Error() != "invalid JSON at byte 9: expected ',' or ']' in an array" {
		t.Fatalf("got %v", err)
	}
	v, err := Parse([]byte(`{"a":1,"b":{},"a":2}`))
	var dup *DuplicateKeyError
	if !errors.As(err, &dup) || dup.Key != "a" || v.Kind != Object || len(v.Members) != 3 || err.Error() != `key "a" appears twice in one object` {
		t.Fatalf("got %#v, %v", v, err)
	}
	if got, ok := v.Get("b"); !ok || got.Kind != Object {
		t.Fatalf("Get(b) = %#v, %v", got, ok)
	}
	if _, ok := v.Get("B"); ok {
		t.Fatal("Get is not exact")
	}
}

// AppendString writes exactly what encoding/json writes without HTML
// escaping.
func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "\x00\x01\x1f\x7f\n\r\t\b\f", "é€😀", "\xff", "a\xed\xa0\x80b", "<&>\u2028\u2029"} {
		checkAppendString(t, s)
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("a\"\\\x00\xffé\u2028")
	f.Fuzz(checkAppendString)
}

func checkAppendString(t *testing.T, s string) {
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	if got := AppendString(nil, s); string(got)+"\n" != want.String() {
		t.Fatalf("AppendString(%q) = %s, encoding/json writes %s", s, got, want.Bytes())
	}
}

func TestWriter(t *testing.T) {
	var w Writer
	w.BeginObject()
	w.Key("a")
	w.Int(-5)
	w.Key("b")
	w.BeginArray()
	w.Bool(true)
	w.Null()
	w.BeginObject()
	w.EndObject()
	w.Strings(nil)
	w.EndArray()
	w.Key("c")
	w.Strings([]string{"x", "y"})
	w.Key("d")
	w.String("é\n")
	w.EndObject()
	if got, want := string(w.Bytes()), `{"a":-5,"b":[true,null,{},[]],"c":["x","y"],"d":"é\n"}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
