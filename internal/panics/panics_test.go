package panics

import (
	"errors"
	"testing"
)

func TestCatch(t *testing.T) {
	ran := false
	if err := Catch(func() { ran = true }); err != nil || !ran {
		t.Fatalf("Catch of a normal return: ran %v, err %v", ran, err)
	}
	err := Catch(func() { panic("boom") })
	var e *Error
	if !errors.As(err, &e) || e.Value != "boom" || err.Error() != "boom" {
		t.Fatalf("Catch of panic(\"boom\") = %#v", err)
	}
	// A runtime error, as a nil map write or an index out of range gives.
	err = Catch(func() {
		var m map[string]int
		m["x"] = 1
	})
	if err == nil || err.Error() != "assignment to entry in nil map" {
		t.Fatalf("Catch of a nil map write = %v", err)
	}
	if err := Catch(func() { panic(42) }); err == nil || err.Error() != "panic with a value that is not an error or a string" {
		t.Fatalf("Catch of panic(42) = %v", err)
	}
}
