package seal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKey(t *testing.T, fill byte) []byte {
	t.Helper()
	return bytes.Repeat([]byte{fill}, KeySize)
}

func newSealer(t *testing.T, fill byte) *Sealer {
	t.Helper()
	s, err := New(testKey(t, fill))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	s := newSealer(t, 1)
	for _, pt := range []string{"", "s3cr3t", strings.Repeat("long secret ", 1000), "ünïcödé\x00bytes"} {
		sealed, err := s.Seal(pt, "toolproxy:abc")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sealed, "v1."+s.KeyID()+".") {
			t.Errorf("sealed %q lacks the v1.<key id>. prefix", sealed)
		}
		got, err := s.Open(sealed, "toolproxy:abc")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if got != pt {
			t.Errorf("round trip of %d bytes gave %d bytes", len(pt), len(got))
		}
	}
}

func TestFreshNonce(t *testing.T) {
	s := newSealer(t, 1)
	a, _ := s.Seal("same", "c")
	b, _ := s.Seal("same", "c")
	if a == b {
		t.Error("sealing the same value twice gave the same string")
	}
}

func TestNoPlaintextInOutput(t *testing.T) {
	s := newSealer(t, 1)
	const secret = "s3cr3t-plaintext-canary"
	sealed, err := s.Seal(secret, "toolproxy:g")
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), base64.RawURLEncoding.EncodeToString([]byte(secret))} {
		if strings.Contains(sealed, enc) || strings.Contains(sealed, enc[:len(enc)-2]) {
			t.Errorf("sealed output contains the plaintext (form %q)", enc)
		}
	}
}

func TestTamper(t *testing.T) {
	s := newSealer(t, 1)
	sealed, err := s.Seal("s3cr3t", "ctx")
	if err != nil {
		t.Fatal(err)
	}
	prefix := "v1." + s.KeyID() + "."
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, prefix))
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		mod := append([]byte(nil), raw...)
		mod[i] ^= 0x01
		_, err := s.Open(prefix+base64.RawURLEncoding.EncodeToString(mod), "ctx")
		if !errors.Is(err, ErrAuth) {
			t.Fatalf("flipping byte %d: err %v, want ErrAuth", i, err)
		}
	}
	// Truncated and malformed inputs.
	for _, bad := range []string{
		"", "v1", "v2." + s.KeyID() + ".AAAA", "v1." + s.KeyID() + ".!!!",
		"v1." + s.KeyID() + ".AAAA", sealed[:len(sealed)-3] + "@@@",
		"v1.zz.AAAA", "plain text secret",
	} {
		if _, err := s.Open(bad, "ctx"); !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrAuth) && !errors.Is(err, ErrWrongKey) {
			t.Errorf("Open(%q): err %v, want a seal error", bad, err)
		} else if err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}

func TestWrongKey(t *testing.T) {
	a, b := newSealer(t, 1), newSealer(t, 2)
	sealed, err := a.Seal("s3cr3t", "ctx")
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Open(sealed, "ctx")
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("err %v, want ErrWrongKey", err)
	}
	if !strings.Contains(err.Error(), "different key") {
		t.Errorf("error %q does not say the key differs", err)
	}
	if strings.Contains(err.Error(), sealed) {
		t.Error("error repeats the sealed string")
	}
	// A forged key id of the right key does not help a wrong key.
	forged := "v1." + b.KeyID() + strings.TrimPrefix(sealed, "v1."+a.KeyID())
	if _, err := b.Open(forged, "ctx"); !errors.Is(err, ErrAuth) {
		t.Errorf("forged key id: err %v, want ErrAuth", err)
	}
}

func TestWrongContext(t *testing.T) {
	s := newSealer(t, 1)
	sealed, err := s.Seal("s3cr3t", "toolproxy:a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(sealed, "toolproxy:b"); !errors.Is(err, ErrAuth) {
		t.Errorf("err %v, want ErrAuth", err)
	}
	if _, err := s.Open(sealed, ""); !errors.Is(err, ErrAuth) {
		t.Errorf("empty context: err %v, want ErrAuth", err)
	}
}

func TestNewRejectsBadKeys(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New accepted a %d-byte key", n)
		}
	}
}

func TestGenerate(t *testing.T) {
	k1, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := Generate()
	if k1 == k2 {
		t.Error("Generate returned the same key twice")
	}
	key, err := base64.StdEncoding.DecodeString(k1)
	if err != nil || len(key) != KeySize {
		t.Fatalf("Generate gave %q: %d bytes, %v", k1, len(key), err)
	}
	t.Setenv(EnvKeyFile, "")
	t.Setenv(EnvKey, k1)
	if _, err := Load(); err != nil {
		t.Fatalf("Load of a generated key: %v", err)
	}
}

func TestLoadEnv(t *testing.T) {
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = byte(i * 7)
	}
	want, _ := New(key)
	t.Setenv(EnvKeyFile, "")
	for name, enc := range map[string]*base64.Encoding{
		"std": base64.StdEncoding, "url": base64.URLEncoding,
		"rawstd": base64.RawStdEncoding, "rawurl": base64.RawURLEncoding,
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(EnvKey, " "+enc.EncodeToString(key)+"\n")
			s, err := Load()
			if err != nil {
				t.Fatal(err)
			}
			if s.KeyID() != want.KeyID() {
				t.Errorf("loaded key id %s, want %s", s.KeyID(), want.KeyID())
			}
			sealed, _ := want.Seal("x", "c")
			if got, err := s.Open(sealed, "c"); err != nil || got != "x" {
				t.Errorf("Open with the loaded key: %q, %v", got, err)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("only-sixteen-byt"))
	notB64 := "this is definitely !!! not base64 but it is long enough to look like a key"
	cases := []struct {
		name, env, file string
		want            string
	}{
		{"missing", "", "", EnvKey},
		{"short", short, "", EnvKey},
		{"notbase64", notB64, "", EnvKey},
		{"both", base64.StdEncoding.EncodeToString(make([]byte, 32)), "/nonexistent", "both"},
		{"nofile", "", filepath.Join(t.TempDir(), "absent"), EnvKeyFile},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(EnvKey, c.env)
			t.Setenv(EnvKeyFile, c.file)
			_, err := Load()
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
			if c.env != "" && strings.Contains(err.Error(), c.env) {
				t.Errorf("error %q echoes the key", err)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = byte(255 - i)
	}
	want, _ := New(key)
	dir := t.TempDir()
	files := map[string][]byte{
		"raw":    key,
		"base64": []byte(base64.StdEncoding.EncodeToString(key) + "\n"),
		"url":    []byte(base64.RawURLEncoding.EncodeToString(key)),
	}
	t.Setenv(EnvKey, "")
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv(EnvKeyFile, p)
			s, err := Load()
			if err != nil {
				t.Fatal(err)
			}
			if s.KeyID() != want.KeyID() {
				t.Errorf("key id %s, want %s", s.KeyID(), want.KeyID())
			}
		})
	}
	t.Run("malformed", func(t *testing.T) {
		p := filepath.Join(dir, "bad")
		secretish := "abcdefghijklmnopqrstuvwxyz-not-a-key-but-private"
		if err := os.WriteFile(p, []byte(secretish), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv(EnvKeyFile, p)
		_, err := Load()
		if err == nil {
			t.Fatal("Load accepted a malformed file")
		}
		if !strings.Contains(err.Error(), EnvKeyFile) || strings.Contains(err.Error(), secretish) {
			t.Errorf("error %q: want it to name %s and not echo the contents", err, EnvKeyFile)
		}
	})
}

func TestLoadOrCreate(t *testing.T) {
	t.Setenv(EnvKey, "")
	t.Setenv(EnvKeyFile, "")
	path := filepath.Join(t.TempDir(), "app.key")
	first, created, err := LoadOrCreate(path)
	if err != nil || !created {
		t.Fatalf("first call: created=%v err=%v", created, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, info.Mode())
	}
	sealed, err := first.Seal("secret", "row:1")
	if err != nil {
		t.Fatal(err)
	}
	second, created, err := LoadOrCreate(path)
	if err != nil || created {
		t.Fatalf("second call: created=%v err=%v", created, err)
	}
	if got, err := second.Open(sealed, "row:1"); err != nil || got != "secret" {
		t.Fatalf("the reloaded key does not open what the first sealed: %q %v", got, err)
	}
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreate(path); err == nil || strings.Contains(err.Error(), "not a key") {
		t.Fatalf("a malformed key file: %v", err)
	}
}
