package synth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
)

// permissions is the /P value: printing and copying text allowed, editing not.
const permissions int32 = -1324

// passwordPad pads passwords for the RC4 handlers (ISO 32000-1, 7.6.3.3).
var passwordPad = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// cryptor holds one file's standard security handler state.
type cryptor struct {
	aes256                 bool
	key                    []byte // file encryption key
	id                     []byte
	o, u, oe, ue, permsEnc []byte
}

func newCryptor(kind Encryption, id []byte) *cryptor {
	switch kind {
	case EncryptRC4:
		return newRC4(UserPassword, id)
	case EncryptRC4NoUserPassword:
		return newRC4("", id)
	case EncryptAES256:
		return newAES256(UserPassword, id)
	}
	return nil
}

// newRC4 sets up revision 3, 128-bit RC4 (Algorithms 2, 3 and 5).
func newRC4(user string, id []byte) *cryptor {
	c := &cryptor{id: id}
	c.o = rc4Rounds(md5Stretch(padPassword(ownerPassword)), padPassword(user))
	h := md5.New()
	h.Write(padPassword(user))
	h.Write(c.o)
	h.Write(le32(permissions))
	h.Write(id)
	c.key = md5Stretch(h.Sum(nil))
	u := md5.Sum(append(append([]byte{}, passwordPad...), id...))
	c.u = append(rc4Rounds(c.key, u[:]), make([]byte, 16)...) // the last 16 bytes are arbitrary
	return c
}

// md5Stretch is the revision 3 key strengthening: 50 extra MD5 rounds.
func md5Stretch(k []byte) []byte {
	k = k[:16]
	for range 50 {
		s := md5.Sum(k)
		k = s[:]
	}
	return k
}

// rc4Rounds encrypts data 20 times, with the key XORed by the round number.
func rc4Rounds(key, data []byte) []byte {
	out := append([]byte{}, data...)
	k := make([]byte, len(key))
	for i := range 20 {
		for j := range key {
			k[j] = key[j] ^ byte(i)
		}
		c, _ := rc4.NewCipher(k)
		c.XORKeyStream(out, out)
	}
	return out
}

func padPassword(pw string) []byte {
	return append([]byte(pw), passwordPad...)[:32]
}

func le32(v int32) []byte {
	return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}
}

// newAES256 sets up revision 6 AES-256 (ISO 32000-2, Algorithms 8, 9 and 10).
func newAES256(user string, id []byte) *cryptor {
	c := &cryptor{aes256: true, id: id, key: pseudoRandom(id, "file key", 32)}
	salts := pseudoRandom(id, "salts", 32)
	uVal, uKey, oVal, oKey := salts[0:8], salts[8:16], salts[16:24], salts[24:32]
	c.u = append(append(hash2B([]byte(user), uVal, nil), uVal...), uKey...)
	c.ue = aesNoIV(hash2B([]byte(user), uKey, nil), c.key)
	c.o = append(append(hash2B([]byte(ownerPassword), oVal, c.u), oVal...), oKey...)
	c.oe = aesNoIV(hash2B([]byte(ownerPassword), oKey, c.u), c.key)
	perms := append(le32(permissions), 0xFF, 0xFF, 0xFF, 0xFF, 'T', 'a', 'd', 'b')
	perms = append(perms, pseudoRandom(id, "perms", 4)...)
	block, _ := aes.NewCipher(c.key)
	c.permsEnc = make([]byte, 16)
	block.Encrypt(c.permsEnc, perms) // one block: ECB
	return c
}

// hash2B is the revision 6 password hash (Algorithm 2.B).
func hash2B(password, salt, udata []byte) []byte {
	first := sha256.Sum256(concat(password, salt, udata))
	k := first[:]
	var e []byte
	for round := 0; round < 64 || int(e[len(e)-1]) > round-32; round++ {
		k1 := bytes.Repeat(concat(password, k, udata), 64)
		block, _ := aes.NewCipher(k[:16])
		e = make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, b := range e[:16] { // the 128-bit number mod 3, since 256 ≡ 1 (mod 3)
			sum += int(b)
		}
		switch sum % 3 {
		case 0:
			s := sha256.Sum256(e)
			k = s[:]
		case 1:
			s := sha512.Sum384(e)
			k = s[:]
		default:
			s := sha512.Sum512(e)
			k = s[:]
		}
	}
	return k[:32]
}

// aesNoIV is AES-256-CBC with a zero IV and no padding, for /UE and /OE.
func aesNoIV(key, data []byte) []byte {
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(block, make([]byte, 16)).CryptBlocks(out, data)
	return out
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// pseudoRandom derives n reproducible bytes, so output stays deterministic.
func pseudoRandom(id []byte, label string, n int) []byte {
	s := sha256.Sum256(append(append([]byte{}, id...), label...))
	return s[:n]
}

// encrypt encrypts the data of stream object num.
func (c *cryptor) encrypt(num int, data []byte) []byte {
	if c.aes256 {
		return aesCBC(c.key, pseudoRandom(concat(c.id, []byte{byte(num), byte(num >> 8)}), "iv", 16), data)
	}
	h := md5.New()
	h.Write(c.key)
	h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), 0, 0}) // generation 0
	rc, _ := rc4.NewCipher(h.Sum(nil))
	out := make([]byte, len(data))
	rc.XORKeyStream(out, data)
	return out
}

// aesCBC encrypts with PKCS#7 padding and prefixes the IV, as AESV3 requires.
func aesCBC(key, iv, data []byte) []byte {
	pad := 16 - len(data)%16
	plain := append(append([]byte{}, data...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	block, _ := aes.NewCipher(key)
	out := append([]byte{}, iv...)
	out = append(out, make([]byte, len(plain))...)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out[16:], plain)
	return out
}

// dict is the /Encrypt dictionary.
func (c *cryptor) dict() string {
	if c.aes256 {
		return fmt.Sprintf("<< /Filter /Standard /V 5 /R 6 /Length 256 "+
			"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF "+
			"/O <%x> /U <%x> /OE <%x> /UE <%x> /P %d /Perms <%x> >>", c.o, c.u, c.oe, c.ue, permissions, c.permsEnc)
	}
	return fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /O <%x> /U <%x> /P %d >>", c.o, c.u, permissions)
}
