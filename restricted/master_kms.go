package restricted

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
)

// KMSMaster wraps data keys with AWS KMS: each data key is sent to kms:Encrypt under
// one symmetric KMS key and only the ciphertext is kept, so the key store never holds
// a usable key and every unwrap is an authorised, audited kms:Decrypt.
type KMSMaster struct {
	client *kms.Client
	keyARN string // resolved once, so an alias and its ARN wrap alike
	// Timeout bounds each KMS call, retries included (Master has no context).
	Timeout time.Duration
}

// kmsWrapMagic marks a data key wrapped by KMS, so a key store opened with the wrong
// kind of master fails with a clear message rather than a decryption error.
var kmsWrapMagic = []byte("cvetl-kms1:")

// kmsPurpose is the fixed half of the encryption context (logged by CloudTrail in
// clear: it holds no personal data, only the purpose and the key ARN).
const kmsPurpose = "cvetl data key v1"

// NewKMSMaster checks that keyID (key id, ARN, alias name or alias ARN) names an enabled
// symmetric encryption key and returns a master using it. The client comes from the
// standard AWS chain: AWS_REGION, credentials, AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL.
func NewKMSMaster(ctx context.Context, keyID string) (*KMSMaster, error) {
	if keyID == "" {
		return nil, errors.New("KMS master: empty key id")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("KMS master: loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("KMS key %s: no AWS region configured (set AWS_REGION)", keyID)
	}
	return newKMSMaster(ctx, kms.NewFromConfig(cfg), keyID)
}

func newKMSMaster(ctx context.Context, client *kms.Client, keyID string) (*KMSMaster, error) {
	out, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
	if err != nil {
		return nil, kmsError("checking", keyID, err)
	}
	md := out.KeyMetadata
	if md == nil || md.Arn == nil {
		return nil, fmt.Errorf("KMS key %s: DescribeKey returned no key metadata", keyID)
	}
	if md.KeyState != types.KeyStateEnabled {
		return nil, fmt.Errorf("KMS key %s is %s, want Enabled", keyID, md.KeyState)
	}
	if md.KeyUsage != types.KeyUsageTypeEncryptDecrypt || md.KeySpec != types.KeySpecSymmetricDefault {
		return nil, fmt.Errorf("KMS key %s is %s/%s, want a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key", keyID, md.KeySpec, md.KeyUsage)
	}
	return &KMSMaster{client: client, keyARN: *md.Arn, Timeout: 30 * time.Second}, nil
}

// KeyARN is the resolved KMS key the master wraps under.
func (m *KMSMaster) KeyARN() string { return m.keyARN }

// context binds each wrapped key to this purpose and this KMS key: a ciphertext made
// for anything else does not decrypt here.
func (m *KMSMaster) context() map[string]string {
	return map[string]string{"purpose": kmsPurpose, "kms_key_arn": m.keyARN}
}

// Wrap encrypts a data key with kms:Encrypt.
func (m *KMSMaster) Wrap(dk []byte) ([]byte, error) {
	if len(dk) != DataKeySize {
		return nil, fmt.Errorf("data key is %d bytes, want %d", len(dk), DataKeySize)
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.Timeout)
	defer cancel()
	out, err := m.client.Encrypt(ctx, &kms.EncryptInput{
		KeyId:             aws.String(m.keyARN),
		Plaintext:         dk,
		EncryptionContext: m.context(),
	})
	if err != nil {
		return nil, kmsError("wrapping a data key with", m.keyARN, err)
	}
	return append(append([]byte(nil), kmsWrapMagic...), out.CiphertextBlob...), nil
}

// Unwrap decrypts a wrapped data key with kms:Decrypt, naming the expected key so
// KMS refuses a ciphertext made under any other.
func (m *KMSMaster) Unwrap(w []byte) ([]byte, error) {
	blob, ok := bytes.CutPrefix(w, kmsWrapMagic)
	if !ok {
		return nil, errors.New("unwrapping data key: it was not wrapped by KMS (this key store was made with a local master key: unset CVETL_KMS_KEY_ID or migrate the key store)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.Timeout)
	defer cancel()
	out, err := m.client.Decrypt(ctx, &kms.DecryptInput{
		KeyId:             aws.String(m.keyARN),
		CiphertextBlob:    blob,
		EncryptionContext: m.context(),
	})
	if err != nil {
		return nil, kmsError("unwrapping a data key with", m.keyARN, err)
	}
	if len(out.Plaintext) != DataKeySize {
		return nil, fmt.Errorf("unwrapping a data key with KMS key %s: got %d bytes, want %d", m.keyARN, len(out.Plaintext), DataKeySize)
	}
	return out.Plaintext, nil
}

// kmsError names the key and says what the operator can do. The SDK error is kept
// for its code and request id; neither it nor this message carries key material.
func kmsError(doing, keyID string, err error) error {
	var hint string
	var (
		notFound   *types.NotFoundException
		disabled   *types.DisabledException
		state      *types.KMSInvalidStateException
		incorrect  *types.IncorrectKeyException
		ciphertext *types.InvalidCiphertextException
		usage      *types.InvalidKeyUsageException
		api        smithy.APIError
	)
	switch {
	case errors.As(err, &notFound):
		hint = "not found: check CVETL_KMS_KEY_ID and AWS_REGION"
	case errors.As(err, &disabled), errors.As(err, &state):
		hint = "is disabled or pending deletion: enable it in KMS"
	case errors.As(err, &incorrect), errors.As(err, &ciphertext):
		hint = "refused the wrapped key: it was wrapped under a different KMS key or is damaged"
	case errors.As(err, &usage):
		hint = "cannot encrypt: use a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key"
	case errors.As(err, &api) && api.ErrorCode() == "AccessDeniedException":
		hint = "access denied: the role needs kms:DescribeKey, kms:Encrypt and kms:Decrypt on it (or the ciphertext names another key)"
	default:
		hint = "call failed"
	}
	return fmt.Errorf("%s KMS key %s: %s: %w", doing, keyID, hint, err)
}
