package migration

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	cases := []struct {
		name    string
		files   []string
		want    []int
		wantErr string
	}{
		{name: "ordered", files: []string{"0002_b.sql", "0001_a.sql", "0003_c.sql"}, want: []int{1, 2, 3}},
		{name: "gap", files: []string{"0001_a.sql", "0003_c.sql"}, wantErr: "version 3, want 2"},
		{name: "misnamed", files: []string{"0001_a.sql", "init.sql"}, wantErr: "init.sql: name is not"},
		{name: "not sql", files: []string{"0001_a.txt"}, wantErr: "name is not"},
		{name: "zero", files: []string{"0000_a.sql"}, wantErr: "name is not"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("-- " + f)}
			}
			ms, err := Load(fsys, "m")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != len(tc.want) {
				t.Fatalf("%d migrations, want %d", len(ms), len(tc.want))
			}
			for i, m := range ms {
				if m.Version != tc.want[i] || m.SQL != "-- "+m.Name {
					t.Errorf("migration %d = %+v", i, m)
				}
			}
		})
	}
}
