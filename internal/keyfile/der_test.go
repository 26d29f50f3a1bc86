package keyfile

import (
	"bytes"
	"encoding/asn1"
	"testing"
)

// The reader against X.690's DER rules, case by case; encoding/asn1 is the
// oracle where it agrees (it is DER-strict on lengths and integers too).
func TestDERNext(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"short form", []byte{0x04, 0x01, 0xaa}, true},
		{"empty contents", []byte{0x05, 0x00}, true},
		{"long form", append([]byte{0x04, 0x81, 0x80}, make([]byte, 0x80)...), true},
		{"long form that fits the short", append([]byte{0x04, 0x81, 0x7f}, make([]byte, 0x7f)...), false},
		{"long form, leading zero", append([]byte{0x04, 0x82, 0x00, 0x80}, make([]byte, 0x80)...), false},
		{"indefinite length", []byte{0x30, 0x80, 0x00, 0x00}, false},
		{"length past the end", []byte{0x04, 0x02, 0xaa}, false},
		{"length of length past the end", []byte{0x04, 0x82, 0x01}, false},
		{"five-byte length", []byte{0x04, 0x85, 1, 0, 0, 0, 0}, false},
		{"high tag number", []byte{0x1f, 0x81, 0x00, 0x00}, true},
		{"high tag number, leading zero group", []byte{0x1f, 0x80, 0x81, 0x00, 0x00}, false},
		{"high tag number below 31", []byte{0x1f, 0x05, 0x00}, false},
		{"no length", []byte{0x04}, false},
	} {
		_, _, whole, _, ok := der(c.in).next()
		if ok != c.ok {
			t.Errorf("%s: ok = %v, want %v", c.name, ok, c.ok)
		}
		if ok && !bytes.Equal(whole, c.in) {
			t.Errorf("%s: whole = %x", c.name, whole)
		}
		var raw asn1.RawValue
		if rest, err := asn1.Unmarshal(c.in, &raw); c.ok && (err != nil || len(rest) != 0) {
			t.Errorf("%s: encoding/asn1 refuses what the reader accepts: %v", c.name, err)
		} else if !c.ok && err == nil {
			t.Errorf("%s: encoding/asn1 accepts what the reader refuses", c.name)
		}
	}
}

func TestDERInteger(t *testing.T) {
	for _, c := range []struct {
		contents []byte
		minimal  bool
		positive bool
		int64    bool
	}{
		{[]byte{0x00}, true, false, true},
		{[]byte{0x01}, true, true, true},
		{[]byte{0x7f}, true, true, true},
		{[]byte{0x00, 0x80}, true, true, true},
		{[]byte{0x00, 0x7f}, false, false, false},
		{[]byte{0xff}, true, false, true},
		{[]byte{0xff, 0x7f}, true, false, true},
		{[]byte{0xff, 0x80}, false, false, false},
		{[]byte{0x80}, true, false, true},
		{[]byte{}, false, false, false},
		{[]byte{0x7f, 1, 2, 3, 4, 5, 6, 7}, true, true, true},
		{[]byte{0x00, 0x80, 1, 2, 3, 4, 5, 6, 7}, true, true, false},
	} {
		enc := element(tagInteger, c.contents)
		d := der(enc)
		if _, ok := d.readInteger(); ok != c.minimal {
			t.Errorf("%x: minimal = %v", c.contents, ok)
		}
		d = der(enc)
		if _, ok := d.readPositive(); ok != c.positive {
			t.Errorf("%x: positive = %v", c.contents, ok)
		}
		d = der(enc)
		v, ok := d.readInt64()
		if ok != c.int64 {
			t.Errorf("%x: int64 = %v", c.contents, ok)
		}
		var want int64
		_, err := asn1.Unmarshal(enc, &want)
		if (err == nil) != c.int64 || ok && v != want {
			t.Errorf("%x: readInt64 = %d, %v; encoding/asn1 = %d, %v", c.contents, v, ok, want, err)
		}
		if !ok && len(d) != len(enc) {
			t.Errorf("%x: a refused read consumed input", c.contents)
		}
	}
}

func TestDEROID(t *testing.T) {
	for _, c := range [][]byte{
		[]byte(oidRSA), []byte(oidEC), []byte(oidP256), []byte(oidP384), []byte(oidEd25519),
		{0x2a}, {0x80, 0x01}, {0x2a, 0x80, 0x01}, {0x2a, 0x86}, {}, {0x2a, 0x8f, 0xff, 0xff, 0xff, 0x7f}, {0x2a, 0x87, 0xff, 0xff, 0xff, 0x7f},
	} {
		d := der(element(tagOID, c))
		_, ok := d.readOID()
		var oid asn1.ObjectIdentifier
		_, err := asn1.Unmarshal(element(tagOID, c), &oid)
		if ok != (err == nil) {
			t.Errorf("%x: reader ok = %v, encoding/asn1: %v", c, ok, err)
		}
	}
}

func TestDERElement(t *testing.T) {
	for _, n := range []int{0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000} {
		b := make([]byte, n)
		enc := element(tagOctetString, b)
		var got []byte
		rest, err := asn1.Unmarshal(enc, &got)
		if err != nil || len(rest) != 0 || !bytes.Equal(got, b) {
			t.Errorf("%d bytes: encoding/asn1 reads %d bytes back, %v", n, len(got), err)
		}
		d := der(enc)
		if body, ok := d.read(tagOctetString); !ok || len(body) != n || len(d) != 0 {
			t.Errorf("%d bytes: the reader does not read it back", n)
		}
	}
	for _, m := range [][]byte{{1}, {0x7f}, {0x80}, {0xff, 0xff}} {
		var v int64
		if _, err := asn1.Unmarshal(positiveInteger(m), &v); err != nil || v <= 0 {
			t.Errorf("positiveInteger(%x) reads as %d, %v", m, v, err)
		}
	}
	if bitLen([]byte{0, 0x01, 0}) != 9 || bitLen([]byte{0x80}) != 8 || bitLen(nil) != 0 {
		t.Error("bitLen")
	}
}
