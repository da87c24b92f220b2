package rights

import (
	"errors"
	"fmt"
)

// ErrRefused matches every error that refuses a request or its input (a bad field, a
// missing reason, an ambiguous subject, a blocked erasure), as opposed to a failure of
// the store: callers tell the operator to fix the request, not to retry.
var ErrRefused = errors.New("refused")

type refusal struct{ msg string }

func (r refusal) Error() string        { return r.msg }
func (r refusal) Is(target error) bool { return target == ErrRefused }

func refuse(format string, a ...any) error { return refusal{fmt.Sprintf(format, a...)} }

func (e *AmbiguousError) Is(target error) bool             { return target == ErrRefused }
func (e *ErasureBlockedError) Is(target error) bool        { return target == ErrRefused }
func (e *SpecialCategoryReasonError) Is(target error) bool { return target == ErrRefused }
