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
	w.Key("id")
	w.Int(int64(k.ID))
	w.Key("keyPairId")
	w.String(k.KeyPairID)
	w.Key("keyType")
	w.String(k.KeyType)
	w.Key("crypto")
	w.String(k.Crypto)
	w.EndObject()
}

func (k keyPairJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.Key("privateKeyPem")
	w.String(k.PrivateKeyPEM)
	w.Key("publicKeyPem")
	w.String(k.PublicKeyPEM)
	w.Key("keyType")
	w.String(k.KeyType)
	w.EndObject()
}

// writeGrant writes the members of g into the object being written; an
// outer type with its own resource member hides g's, as in encoding/json.
func writeGrant(w *minjson.Writer, g frontend.Grant, withResource bool) {
	w.Key("policy")
	w.String(g.Policy)
	w.Key("canned")
	w.Bool(g.Canned)
	if withResource {
		w.Key("resource")
		w.String(g.Resource)
	}
	w.Key("expires")
	w.Int(g.Expires)
	w.Key("expiresAt")
	w.String(g.ExpiresAt)
	w.Key("keyPairId")
	w.String(g.KeyPairID)
	w.Key("hashAlgorithm")
	w.String(g.HashAlgorithm)
}

func (s signedURLJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.Key("signedUrl")
	w.String(s.SignedURL)
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
	w.Key("playlist")
	w.String(s.Playlist)
	w.Key("format")
	w.String(string(s.Format))
	w.Key("resource")
	w.String(s.Resource)
	w.Key("signed")
	w.Int(int64(s.Signed))
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
	w.Key("line")
	w.Int(int64(s.Line))
	w.Key("where")
	w.String(s.Where)
	w.Key("uri")
	w.String(s.URI)
	w.Key("reason")
	w.String(s.Reason)
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
	w.Key("name")
	w.String(c.Name)
	w.Key("value")
	w.String(c.Value)
	if c.Domain != "" {
		w.Key("domain")
		w.String(c.Domain)
	}
	w.Key("path")
	w.String(c.Path)
	w.Key("secure")
	w.Bool(c.Secure)
	w.Key("httpOnly")
	w.Bool(c.HTTPOnly)
	if c.SameSite != "" {
		w.Key("sameSite")
		w.String(c.SameSite)
	}
	if c.Expires != 0 {
		w.Key("expires")
		w.Int(c.Expires)
	}
	w.EndObject()
}

func (in *inspectionJSON) writeJSON(w *minjson.Writer) {
	if in == nil {
		w.Null()
		return
	}
	w.BeginObject()
	w.Key("source")
	w.String(in.Source)
	w.Key("url")
	w.String(in.URL)
	w.Key("keyPairId")
	w.String(in.KeyPairID)
	w.Key("hashAlgorithm")
	w.String(in.HashAlgorithm)
	w.Key("canned")
	w.Bool(in.Canned)
	w.Key("policy")
	if p := in.Policy; p == nil {
		w.Null()
	} else {
		w.BeginObject()
		w.Key("resource")
		w.String(p.Resource)
		w.Key("expires")
		w.Int(p.Expires)
		if p.NotBefore != 0 {
			w.Key("notBefore")
			w.Int(p.NotBefore)
		}
		if p.IPAddress != "" {
			w.Key("ipAddress")
			w.String(p.IPAddress)
		}
		w.EndObject()
	}
	w.Key("policyJson")
	w.String(in.PolicyJSON)
	w.Key("signatureKind")
	w.String(in.SignatureKind)
	w.Key("summary")
	w.String(in.Summary)
	w.Key("problem")
	if p := in.Problem; p == nil {
		w.Null()
	} else {
		w.BeginObject()
		w.Key("code")
		w.String(string(p.Code))
		w.Key("message")
		w.String(p.Message)
		w.Key("part")
		w.String(p.Part)
		w.EndObject()
	}
	w.EndObject()
}

func (d decisionJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.Key("allowed")
	w.Bool(d.Allowed)
	w.Key("reason")
	w.String(d.Reason)
	w.Key("detail")
	w.String(d.Detail)
	w.Key("notes")
	w.Strings(d.Notes)
	w.Key("inspection")
	d.Inspection.writeJSON(w)
	w.EndObject()
}
