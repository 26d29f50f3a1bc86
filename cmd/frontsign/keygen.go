package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

var keygenCmd = &command{
	name:    "keygen",
	args:    "--type rsa|ecdsa --out NAME [--force]",
	summary: "make a CloudFront key pair: NAME.pem (private) and NAME.pub.pem (public)",
	about: `Makes a key of a type CloudFront key groups accept (RSA-2048 or ECDSA P-256)
and writes NAME.pem (private key, PKCS#8, mode 0600) and NAME.pub.pem (public
key, ready to paste into the CloudFront console), making NAME's directory
(mode 0700) if needed. Existing files are kept
unless --force is given. ECDSA gives much shorter URLs; RSA works with every tool.`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		typ := fs.String("type", "rsa", "key `TYPE`: rsa (RSA-2048) or ecdsa (ECDSA P-256)")
		out := fs.String("out", "", "`NAME` of the files to write: NAME.pem and NAME.pub.pem")
		force := fs.Bool("force", false, "replace existing files")
		return func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q; name the files with --out NAME", args)
			}
			return keygen(e, *typ, *out, *force)
		}
	},
}

func keygen(e *env, typ, out string, force bool) error {
	var kt frontsign.KeyType
	switch strings.ToLower(typ) {
	case "rsa":
		kt = frontsign.RSA
	case "ecdsa", "ec":
		kt = frontsign.ECDSA
	default:
		return usagef("--type %q is not a key type CloudFront accepts; use rsa or ecdsa", typ)
	}
	if out == "" {
		return usagef("missing --out NAME: the files to write (NAME.pem and NAME.pub.pem)")
	}
	base := strings.TrimSuffix(out, ".pem")
	privPath, pubPath := base+".pem", base+".pub.pem"
	if !force {
		for _, p := range []string{privPath, pubPath} {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%s already exists; choose another --out NAME, or pass --force to replace it", p)
			}
		}
	}
	if dir := filepath.Dir(base); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil { // private keys go in private directories
			return fmt.Errorf("cannot make directory %s: %v", dir, unwrapPath(err))
		}
	}
	key, err := frontend.GenerateKey(kt)
	if err != nil {
		return err
	}
	if err := writeKeyFile(privPath, key.MarshalPEM(), 0o600, force); err != nil {
		return err
	}
	if err := writeKeyFile(pubPath, frontend.PublicKeyPEM(key.Public()), 0o644, force); err != nil {
		if !force {
			os.Remove(privPath) // leave no half-made pair behind
		}
		return err
	}
	kind := "RSA-2048"
	if kt == frontsign.ECDSA {
		kind = "ECDSA P-256"
	}
	fmt.Fprintf(e.stdout, `wrote %s (%s private key, PKCS#8, mode 0600): keep it secret
wrote %s (public key)

next:
  1. CloudFront console > Key management > Public keys > Create public key:
     paste the contents of %s. Its ID (K...) is your --key-pair-id.
  2. Key groups > Create key group with that public key, then on the cache
     behavior set "Restrict viewer access" to Yes with that trusted key group.
  3. frontsign sign --url URL --key-pair-id K... --private-key %s --date-less-than 1h
`, privPath, kind, pubPath, pubPath, privPath)
	return nil
}

// writeKeyFile writes data with mode perm, refusing to replace an existing
// file unless force is set (and then resetting its mode to perm too).
func writeKeyFile(path string, data []byte, perm os.FileMode, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, perm)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; choose another --out NAME, or pass --force to replace it", path)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	if force {
		err = f.Chmod(perm)
	}
	if _, werr := f.Write(data); err == nil {
		err = werr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the operation and path from an *fs.PathError, which the
// callers already name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
