package sqlite_test

import (
	"testing"

	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.SQLite())
}
