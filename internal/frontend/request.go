package frontend

import (
	"errors"
	"time"

	"github.com/frontsign/frontsign"
)

// Request is what a front end is asked to grant, as its user wrote it: the
// fields the CLI's flags, the JS module's options and the worker's body have
// in common. Terms reads it once, against one clock, into the core's Terms.
type Request struct {
	Resource  string // the policy resource; "" means the URL itself
	Expires   string // when access ends, in a form ParseTime reads; "" leaves it unset, which the core refuses
	ExpiresIn string // or how long access lasts from now, as ParseDuration reads it, at least a second
	NotBefore string // when access starts; "" for no start
	IPAddress string // IPv4 address or CIDR range viewers must come from; "" for any
	Hash      string // "SHA1", "SHA256" or "" for the key type's default (ParseHash)

	// Names spell the fields in messages as the front end's users know
	// them: "--date-less-than" for the CLI, "expires" for the JS module.
	Names Names
}

// Names are the front end's names of a Request's fields.
type Names struct {
	Expires, ExpiresIn, NotBefore, Hash string
}

// Terms reads r, with relative times ("15m") counted from now, which is also
// the signing time. It reads the fields in the order expiry, start, IP
// address, hash, and reports the first that is wrong.
func (r Request) Terms(now time.Time) (frontsign.Terms, error) {
	t := frontsign.Terms{Resource: r.Resource, IPAddress: r.IPAddress, Now: now}
	var err error
	switch {
	case r.Expires != "" && r.ExpiresIn != "":
		return t, &frontsign.Error{Code: CodeBadRequest, Msg: "give either " + r.Names.ExpiresIn + " or " + r.Names.Expires + ", not both"}
	case r.ExpiresIn != "":
		d, err := ParseDuration(r.ExpiresIn)
		if err != nil || d < time.Second {
			return t, &frontsign.Error{Code: frontsign.CodeBadTime, Msg: r.Names.ExpiresIn + ` must be a positive number of seconds or a duration such as "15m", "1h" or "1d"`}
		}
		t.Expires = now.Add(d)
	case r.Expires != "":
		if t.Expires, err = ParseTime(r.Expires, now); err != nil {
			return t, InField(r.Names.Expires, err)
		}
	}
	if r.NotBefore != "" {
		if t.NotBefore, err = ParseTime(r.NotBefore, now); err != nil {
			return t, InField(r.Names.NotBefore, err)
		}
	}
	if t.IPAddress != "" {
		if err := CheckIPRange(t.IPAddress); err != nil {
			return t, err
		}
	}
	if t.Hash, err = ParseHash(r.Hash); err != nil {
		return t, InField(r.Names.Hash, err)
	}
	return t, nil
}

// InField prefixes err's message with the name of the field it is about,
// keeping its code.
func InField(name string, err error) error {
	e, ok := errors.AsType[*frontsign.Error](err)
	if name == "" || !ok {
		return err
	}
	return &frontsign.Error{Code: e.Code, Msg: name + ": " + e.Msg, Err: e.Err}
}
