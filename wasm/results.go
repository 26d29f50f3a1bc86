package main

// How each result is written as JSON for the JS side: the members of the
// json tags of its type, in their order, as encoding/json would write them
// (TestResultsAsEncodingJSON holds them to it). The tags stay on the types
// as the description of what the JS side receives.

import (
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
	"github.com/frontsign/frontsign/playlist"
)

func (k keyInfo) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.IntMember("id", int64(k.ID))
	w.StringMember("keyPairId", k.KeyPairID)
	w.StringMember("keyType", k.KeyType)
	w.StringMember("crypto", k.Crypto)
	w.EndObject()
}

func (k keyPairJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.StringMember("privateKeyPem", k.PrivateKeyPEM)
	w.StringMember("publicKeyPem", k.PublicKeyPEM)
	w.StringMember("keyType", k.KeyType)
	w.EndObject()
}

// writeGrant writes the members of g into the object being written; an
// outer type with its own resource member hides g's, as in encoding/json.
func writeGrant(w *minjson.Writer, g frontend.Grant, withResource bool) {
	w.StringMember("policy", g.Policy)
	w.BoolMember("canned", g.Canned)
	if withResource {
		w.StringMember("resource", g.Resource)
	}
	w.IntMember("expires", g.Expires)
	w.StringMember("expiresAt", g.ExpiresAt)
	w.StringMember("keyPairId", g.KeyPairID)
	w.StringMember("hashAlgorithm", g.HashAlgorithm)
}

func (s signedURLJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.StringMember("signedUrl", s.SignedURL)
	writeGrant(w, s.Grant, true)
	w.EndObject()
}

// signedURLsJSON is signUrls' result.
type signedURLsJSON []signedURLJSON

func (list signedURLsJSON) writeJSON(w *minjson.Writer) {
	w.BeginArray()
	for _, s := range list {
		s.writeJSON(w)
	}
	w.EndArray()
}

func (s signedPlaylistJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.StringMember("playlist", s.Playlist)
	w.StringMember("format", string(s.Format))
	w.StringMember("resource", s.Resource)
	w.IntMember("signed", int64(s.Signed))
	w.Key("skipped")
	w.BeginArray()
	for _, sk := range s.Skipped {
		writeSkip(w, sk)
	}
	w.EndArray()
	writeGrant(w, s.Grant, false)
	w.EndObject()
}

func writeSkip(w *minjson.Writer, s playlist.Skip) {
	w.BeginObject()
	w.IntMember("line", int64(s.Line))
	w.StringMember("where", s.Where)
	w.StringMember("uri", s.URI)
	w.StringMember("reason", s.Reason)
	w.EndObject()
}

func (s signedCookiesJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.Key("cookies")
	w.BeginArray()
	for _, c := range s.Cookies {
		writeCookie(w, c)
	}
	w.EndArray()
	w.Key("headers")
	w.Strings(s.Headers)
	writeGrant(w, s.Grant, true)
	w.EndObject()
}

func writeCookie(w *minjson.Writer, c frontend.Cookie) {
	w.BeginObject()
	w.StringMember("name", c.Name)
	w.StringMember("value", c.Value)
	if c.Domain != "" {
		w.StringMember("domain", c.Domain)
	}
	w.StringMember("path", c.Path)
	w.BoolMember("secure", c.Secure)
	w.BoolMember("httpOnly", c.HTTPOnly)
	if c.SameSite != "" {
		w.StringMember("sameSite", c.SameSite)
	}
	if c.Expires != 0 {
		w.IntMember("expires", c.Expires)
	}
	w.EndObject()
}

func (in *inspectionJSON) writeJSON(w *minjson.Writer) {
	if in == nil {
		w.Null()
		return
	}
	w.BeginObject()
	w.StringMember("source", in.Source)
	w.StringMember("url", in.URL)
	w.StringMember("keyPairId", in.KeyPairID)
	w.StringMember("hashAlgorithm", in.HashAlgorithm)
	w.BoolMember("canned", in.Canned)
	w.Key("policy")
	if p := in.Policy; p == nil {
		w.Null()
	} else {
		w.BeginObject()
		w.StringMember("resource", p.Resource)
		w.IntMember("expires", p.Expires)
		if p.NotBefore != 0 {
			w.IntMember("notBefore", p.NotBefore)
		}
		if p.IPAddress != "" {
			w.StringMember("ipAddress", p.IPAddress)
		}
		w.EndObject()
	}
	w.StringMember("policyJson", in.PolicyJSON)
	w.StringMember("signatureKind", in.SignatureKind)
	w.StringMember("summary", in.Summary)
	w.Key("problem")
	if p := in.Problem; p == nil {
		w.Null()
	} else {
		w.BeginObject()
		w.StringMember("code", string(p.Code))
		w.StringMember("message", p.Message)
		w.StringMember("part", p.Part)
		w.EndObject()
	}
	w.EndObject()
}

func (d decisionJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.BoolMember("allowed", d.Allowed)
	w.StringMember("reason", d.Reason)
	w.StringMember("detail", d.Detail)
	w.Key("notes")
	w.Strings(d.Notes)
	w.Key("inspection")
	d.Inspection.writeJSON(w)
	w.EndObject()
}
