// Package e2e holds the end-to-end test of ltiforge's two reference
// applications: the LMS (package examples/lms, the Tool Consumer) and the
// e-textbook (package examples/etextbook, the Tool Provider).
//
// TestReferenceAppsInBrowser starts both applications in the test process,
// each on its own loopback listener and its own fresh store, once per store
// backend (SQLite always, PostgreSQL when LTIFORGE_TEST_POSTGRES names a
// database), and drives them with headless Chromium through chromedp, only
// through their pages, as their users would:
//
//  1. the administrator registers the e-textbook (the browser carries the
//     registration request to the tool and comes back) and approves it;
//  2. the instructor places four of the tool's resources in the course as
//     links: a chapter of the book, a graded weekly assessment, book adoption
//     and a billing census;
//  3. the instructor adopts a book, which the tool keeps in the LMS's
//     binding-scope tool settings;
//  4. a learner opens the chapter (in the adopted book) and takes the quiz,
//     whose score the tool sends to the LMS through the Result service;
//  5. the instructor sees the score in the gradebook and the adoption in the
//     course's tool settings;
//  6. the instructor runs the census, which the tool reads from the LMS's
//     Membership service, and compares it with the LMS's own roster.
//
// The test relies on the UI contract of both applications (element ids,
// classes, data attributes and URLs). It saves a full-page screenshot after
// each step, and on failure a screenshot and the page's HTML, under
// $LTIFORGE_ARTIFACTS/e2e/<backend>/, by default under artifacts/ at the
// root of the module.
//
// It needs Chromium (Debian's chromium package). Without it the test is
// skipped with a message, except when CI=true, where it fails; -short skips
// it too.
//
//	LTIFORGE_TEST_POSTGRES='postgres://ltiforge:ltiforge@127.0.0.1:5432/ltiforge?sslmode=disable' \
//		go test ./examples/e2e -run . -v -count=1
package e2e
