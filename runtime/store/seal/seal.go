package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the length in bytes of a sealing key (AES-256).
const KeySize = 32

// EnvKey names the environment variable holding the sealing key, base64
// encoded (standard or URL alphabet, padded or not).
const EnvKey = "LTIFORGE_SEAL_KEY"

// EnvKeyFile names the environment variable holding the path of a file
// whose contents are the sealing key: base64 as for EnvKey (surrounding
// white space ignored) or the 32 raw key bytes.
const EnvKeyFile = "LTIFORGE_SEAL_KEY_FILE"

// version is the prefix of the current sealed format.
const version = "v1"

// ErrWrongKey is wrapped by the error of Open when the sealed string was
// sealed with a different key than the Sealer's.
var ErrWrongKey = errors.New("seal: sealed with a different key")

// ErrMalformed is wrapped by the error of Open when the input is not a
// sealed string of a known format.
var ErrMalformed = errors.New("seal: malformed sealed string")

// ErrAuth is wrapped by the error of Open when a sealed string made with
// the Sealer's key does not authenticate: it was altered, or it was sealed
// for another context (another record).
var ErrAuth = errors.New("seal: sealed string does not authenticate (altered, or sealed for another record)")

// Sealer seals and opens secrets with one AES-256-GCM key. It is safe for
// concurrent use.
type Sealer struct {
	aead  cipher.AEAD
	keyID string
}

// New returns a Sealer for a KeySize-byte key. The key is copied; the
// caller may clear its slice afterwards.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	sum := sha256.Sum256(key)
	return &Sealer{aead: aead, keyID: hex.EncodeToString(sum[:8])}, nil
}

// Generate returns a new random key, base64 encoded (standard alphabet),
// in the form Load accepts.
func Generate() (string, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("seal: generate key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(key), nil
}

// Load returns a Sealer for the key named by the environment: the base64
// key in LTIFORGE_SEAL_KEY, or the file named by LTIFORGE_SEAL_KEY_FILE.
// Setting both, or neither, is an error. Errors name the variable at
// fault and never contain the key.
func Load() (*Sealer, error) {
	env, hasEnv := os.LookupEnv(EnvKey)
	file, hasFile := os.LookupEnv(EnvKeyFile)
	hasEnv = hasEnv && env != ""
	hasFile = hasFile && file != ""
	switch {
	case hasEnv && hasFile:
		return nil, fmt.Errorf("seal: both %s and %s are set; set one", EnvKey, EnvKeyFile)
	case hasEnv:
		key, err := decodeKey(env)
		if err != nil {
			return nil, fmt.Errorf("seal: %s: %w", EnvKey, err)
		}
		return New(key)
	case hasFile:
		data, err := os.ReadFile(file)
		if err != nil {
			// The os error names the path, not the contents.
			return nil, fmt.Errorf("seal: %s: %w", EnvKeyFile, err)
		}
		key, err := keyFromFile(data)
		if err != nil {
			return nil, fmt.Errorf("seal: %s: file %s: %w", EnvKeyFile, file, err)
		}
		return New(key)
	default:
		return nil, fmt.Errorf("seal: no sealing key: set %s to a base64 key of %d bytes (see seal.Generate), or %s to the path of a file holding one", EnvKey, KeySize, EnvKeyFile)
	}
}

// keyFromFile reads a key file's contents: exactly KeySize raw bytes, or
// base64 text. The two cannot be confused: the base64 form of KeySize
// bytes is at least 43 characters long.
func keyFromFile(data []byte) ([]byte, error) {
	if len(data) == KeySize {
		return append([]byte(nil), data...), nil
	}
	return decodeKey(string(data))
}

// decodeKey decodes base64 text of KeySize bytes in any of the four common
// variants. Its errors do not contain the text.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		key, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("key decodes to %d bytes, want %d", len(key), KeySize)
		}
		return key, nil
	}
	return nil, fmt.Errorf("key is not valid base64 (want the base64 encoding of %d bytes)", KeySize)
}

// KeyID identifies the Sealer's key without revealing it: the hex encoding
// of the first 8 bytes of the key's SHA-256 digest. It is part of every
// sealed string.
func (s *Sealer) KeyID() string { return s.keyID }

// Seal encrypts plaintext and binds it to context (for example
// "toolproxy:"+guid), which Open must be given again. The result is
// "v1.<key id>.<base64url(nonce||ciphertext)>", plain ASCII text. Each call
// draws a fresh random nonce, so sealing a value twice gives two different
// strings.
func (s *Sealer) Seal(plaintext, context string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: nonce: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, []byte(plaintext), s.additional(context))
	return version + "." + s.keyID + "." + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a string made by Seal with the same key and context. Its
// errors wrap ErrMalformed, ErrWrongKey or ErrAuth and never contain the
// sealed string or the plaintext.
func (s *Sealer) Open(sealed, context string) (string, error) {
	ver, rest, ok := strings.Cut(sealed, ".")
	if !ok {
		return "", fmt.Errorf("%w: no version prefix", ErrMalformed)
	}
	if ver != version {
		return "", fmt.Errorf("%w: unknown version", ErrMalformed)
	}
	id, body, ok := strings.Cut(rest, ".")
	if !ok || len(id) != len(s.keyID) {
		return "", fmt.Errorf("%w: no key id", ErrMalformed)
	}
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.keyID)) != 1 {
		return "", fmt.Errorf("%w (key id %s, this key is %s)", ErrWrongKey, sanitizeID(id), s.keyID)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return "", fmt.Errorf("%w: bad base64", ErrMalformed)
	}
	if len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return "", fmt.Errorf("%w: too short", ErrMalformed)
	}
	nonce, ct := raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():]
	pt, err := s.aead.Open(nil, nonce, ct, s.additional(context))
	if err != nil {
		return "", ErrAuth
	}
	return string(pt), nil
}

// additional is the GCM additional data: the format version, the key id
// and the caller's context, so that neither can be swapped.
func (s *Sealer) additional(context string) []byte {
	return []byte(version + "." + s.keyID + "." + context)
}

// sanitizeID returns id when it is lower-case hex (a key id is not
// secret), "?" otherwise, so an error never repeats arbitrary input.
func sanitizeID(id string) string {
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "?"
		}
	}
	return id
}

// LoadOrCreate returns the Sealer of the environment (Load) when
// LTIFORGE_SEAL_KEY or LTIFORGE_SEAL_KEY_FILE is set; otherwise that of the
// key file at path, which it creates with a new key (mode 0600) when it
// does not exist. It is for applications that must run with no set-up; a
// lost key file makes every sealed secret unreadable, so back it up with
// the database. created reports whether a new key was written.
func LoadOrCreate(path string) (s *Sealer, created bool, err error) {
	if os.Getenv(EnvKey) != "" || os.Getenv(EnvKeyFile) != "" {
		s, err = Load()
		return s, false, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		text, err := Generate()
		if err != nil {
			return nil, false, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("seal: create key file: %w", err)
		}
		if _, err := f.WriteString(text + "\n"); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("seal: write key file %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return nil, false, fmt.Errorf("seal: write key file %s: %w", path, err)
		}
		data, created = []byte(text), true
	} else if err != nil {
		return nil, false, fmt.Errorf("seal: read key file: %w", err)
	}
	key, err := keyFromFile(data)
	if err != nil {
		return nil, false, fmt.Errorf("seal: key file %s: %w", path, err)
	}
	s, err = New(key)
	return s, created, err
}
