// Package seal encrypts the secrets the LTI runtime keeps at rest: tool
// proxies' shared secrets and registration passwords. A Sealer holds one
// AES-256-GCM key; Seal turns a secret into a text string that names the
// format version and the key and carries a random nonce and the
// ciphertext, and Open reverses it.
//
// # Sealed format
//
//	v1.<key id>.<base64url(nonce || ciphertext || tag)>
//
// The key id is the hex encoding of the first 8 bytes of the SHA-256
// digest of the key; it lets Open report "sealed with a different key"
// (ErrWrongKey) instead of a bare authentication failure when the key
// changed. The context argument of Seal and Open (for example
// "toolproxy:"+guid) is GCM additional data: it binds a sealed secret to
// its record, so a sealed string copied into another record does not open
// (ErrAuth).
//
// # The key
//
// A key is 32 random bytes. Load reads it from the environment:
//
//   - LTIFORGE_SEAL_KEY holds the key in base64 (standard or URL alphabet,
//     padding optional);
//   - or LTIFORGE_SEAL_KEY_FILE names a file holding the key in the same
//     base64 form (surrounding white space ignored) or as the 32 raw bytes.
//
// Setting both is an error, so that it is never unclear which key is in
// use. Generate makes a new key in the base64 form. Losing the key loses
// every sealed secret: tools must then register again.
//
// Errors of this package name the variable or file at fault but never
// contain a key, a plaintext or a sealed string.
package seal
