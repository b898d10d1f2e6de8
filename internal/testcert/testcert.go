// Package testcert makes the keys and certificates the tests of this
// module serve TLS with, and writes them in the PEM forms a user's files
// hold. It is for the tests of this module only: its certificates are
// for 127.0.0.1 and localhost, valid from an hour ago for a day.
package testcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/youmark/pkcs8"
)

// rsaKey is made once: a 2048-bit RSA key takes long to make.
var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// RSAKey returns a 2048-bit RSA key, the same one on every call in a
// test binary.
func RSAKey() *rsa.PrivateKey { return rsaKey() }

// NewECKey makes a P-256 ECDSA key.
func NewECKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// NewEd25519Key makes an Ed25519 key.
func NewEd25519Key(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Issue makes a server certificate for 127.0.0.1 and localhost holding
// pub, signed by parentKey as parent, or self-signed when parent is nil;
// with isCA it may sign others.
func Issue(t testing.TB, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer, isCA bool) *x509.Certificate {
	t.Helper()
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "httpserver test " + serial.String()},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	if isCA {
		tmpl.IsCA = true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SelfSigned makes a self-signed server certificate for key, as Issue.
func SelfSigned(t testing.TB, key crypto.Signer) *x509.Certificate {
	t.Helper()
	return Issue(t, key.Public(), nil, key, false)
}

// PEM encodes der as one PEM block of type typ.
func PEM(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// CertPEM encodes certs as CERTIFICATE blocks, in order: a chain file.
func CertPEM(certs ...*x509.Certificate) []byte {
	var b []byte
	for _, c := range certs {
		b = append(b, PEM("CERTIFICATE", c.Raw)...)
	}
	return b
}

// PKCS8PEM encodes key as an unencrypted PKCS#8 PRIVATE KEY block.
func PKCS8PEM(t testing.TB, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return PEM("PRIVATE KEY", der)
}

// ECPEM encodes key as a SEC 1 EC PRIVATE KEY block.
func ECPEM(t testing.TB, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return PEM("EC PRIVATE KEY", der)
}

// EncryptedPKCS8 encrypts key as PKCS#8 with PBES2 (opts nil: PBKDF2 with
// HMAC-SHA256 and AES-256-CBC, as OpenSSL 3's default), in an ENCRYPTED
// PRIVATE KEY block.
func EncryptedPKCS8(t testing.TB, key any, password string, opts *pkcs8.Opts) []byte {
	t.Helper()
	der, err := pkcs8.MarshalPrivateKey(key, []byte(password), opts)
	if err != nil {
		t.Fatal(err)
	}
	return PEM("ENCRYPTED PRIVATE KEY", der)
}

// LegacyPEM encrypts der with OpenSSL's legacy "Proc-Type: 4,ENCRYPTED"
// PEM encryption, as openssl genrsa -aes256 -traditional writes it.
func LegacyPEM(t testing.TB, typ string, der []byte, password string, c x509.PEMCipher) []byte {
	t.Helper()
	//lint:ignore SA1019 the tests make the legacy form the server must read
	block, err := x509.EncryptPEMBlock(rand.Reader, typ, der, []byte(password), c)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block)
}
