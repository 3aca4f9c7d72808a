package launch

import (
	"strings"
	"sync"

	"github.com/ltiforge/ltiforge/generated/lti2"
)

// Prefixes of the LIS role vocabularies (LTI2-FACTS §4.5).
const (
	contextRolePrefix     = "urn:lti:role:ims/lis/"
	institutionRolePrefix = "urn:lti:instrole:ims/lis/"
	systemRolePrefix      = "urn:lti:sysrole:ims/lis/"
	membershipRolePrefix  = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
	mmRolePrefix          = "http://purl.imsglobal.org/vocab/lis/v2/mm#"
)

// maxRoles bounds the roles kept from one roles parameter; maxRoleLen bounds
// one role's length.
const (
	maxRoles   = 256
	maxRoleLen = 512
)

// knownRoles lists every role ltiforge knows, as the generated constants
// spell them; the canonical spelling of a role is looked up here
// case-insensitively. It is built once and only read afterwards.
var knownRoles = sync.OnceValue(func() map[string]lti2.Role {
	all := []lti2.Role{
		lti2.RoleContextLearner, lti2.RoleContextLearnerLearner, lti2.RoleContextLearnerNonCreditLearner,
		lti2.RoleContextLearnerGuestLearner, lti2.RoleContextLearnerExternalLearner, lti2.RoleContextLearnerInstructor,
		lti2.RoleContextInstructor, lti2.RoleContextInstructorPrimaryInstructor, lti2.RoleContextInstructorLecturer,
		lti2.RoleContextInstructorGuestInstructor, lti2.RoleContextInstructorExternalInstructor,
		lti2.RoleContextContentDeveloper, lti2.RoleContextContentDeveloperContentDeveloper,
		lti2.RoleContextContentDeveloperLibrarian, lti2.RoleContextContentDeveloperContentExpert,
		lti2.RoleContextContentDeveloperExternalContentExpert,
		lti2.RoleContextMember, lti2.RoleContextMemberMember,
		lti2.RoleContextManager, lti2.RoleContextManagerAreaManager, lti2.RoleContextManagerCourseCoordinator,
		lti2.RoleContextManagerObserver, lti2.RoleContextManagerExternalObserver,
		lti2.RoleContextMentor, lti2.RoleContextMentorMentor, lti2.RoleContextMentorReviewer,
		lti2.RoleContextMentorAdvisor, lti2.RoleContextMentorAuditor, lti2.RoleContextMentorTutor,
		lti2.RoleContextMentorLearningFacilitator, lti2.RoleContextMentorExternalMentor,
		lti2.RoleContextMentorExternalReviewer, lti2.RoleContextMentorExternalAdvisor,
		lti2.RoleContextMentorExternalAuditor, lti2.RoleContextMentorExternalTutor,
		lti2.RoleContextMentorExternalLearningFacilitator,
		lti2.RoleContextAdministrator, lti2.RoleContextAdministratorAdministrator,
		lti2.RoleContextAdministratorSupport, lti2.RoleContextAdministratorDeveloper,
		lti2.RoleContextAdministratorSystemAdministrator, lti2.RoleContextAdministratorExternalSystemAdministrator,
		lti2.RoleContextAdministratorExternalDeveloper, lti2.RoleContextAdministratorExternalSupport,
		lti2.RoleContextTeachingAssistant, lti2.RoleContextTeachingAssistantTeachingAssistant,
		lti2.RoleContextTeachingAssistantTeachingAssistantSection,
		lti2.RoleContextTeachingAssistantTeachingAssistantSectionAssociation,
		lti2.RoleContextTeachingAssistantTeachingAssistantOffering,
		lti2.RoleContextTeachingAssistantTeachingAssistantTemplate,
		lti2.RoleContextTeachingAssistantTeachingAssistantGroup, lti2.RoleContextTeachingAssistantGrader,
		lti2.RoleInstitutionStudent, lti2.RoleInstitutionFaculty, lti2.RoleInstitutionMember,
		lti2.RoleInstitutionLearner, lti2.RoleInstitutionInstructor, lti2.RoleInstitutionMentor,
		lti2.RoleInstitutionStaff, lti2.RoleInstitutionAlumni, lti2.RoleInstitutionProspectiveStudent,
		lti2.RoleInstitutionGuest, lti2.RoleInstitutionOther, lti2.RoleInstitutionAdministrator,
		lti2.RoleInstitutionObserver, lti2.RoleInstitutionNone,
		lti2.RoleSystemSysAdmin, lti2.RoleSystemSysSupport, lti2.RoleSystemCreator, lti2.RoleSystemAccountAdmin,
		lti2.RoleSystemUser, lti2.RoleSystemAdministrator, lti2.RoleSystemNone,
		lti2.RoleMembershipLearner, lti2.RoleMembershipInstructor, lti2.RoleMembershipTeachingAssistant,
		lti2.RoleMembershipNonCreditLearner, lti2.RoleMembershipGuestLearner, lti2.RoleMembershipExternalLearner,
		lti2.RoleMembershipPrimaryInstructor, lti2.RoleMembershipSecondaryInstructor, lti2.RoleMembershipLecturer,
		lti2.RoleMembershipGuestInstructor, lti2.RoleMembershipExternalInstructor,
	}
	m := make(map[string]lti2.Role, len(all))
	for _, r := range all {
		m[strings.ToLower(string(r))] = r
	}
	return m
})

// NormalizeRole returns the full URN or IRI of one role as a launch may
// send it (LTI2-FACTS §4.5), or "" for a blank one:
//
//   - a short context-role handle (Instructor, Learner/GuestLearner) is
//     completed with urn:lti:role:ims/lis/;
//   - urn:lti:role:, urn:lti:instrole: and urn:lti:sysrole: URNs are kept;
//   - an IRI of the 2015 LIS v2 vocabulary (…/lis/v2/mm#) is rewritten to
//     the …/lis/v2/membership# namespace;
//   - any other URN or absolute IRI (another vocabulary's, a vendor's) is
//     passed through.
//
// A role ltiforge knows is returned in its canonical spelling whatever the
// case it was sent in; an unknown one keeps the spelling it was sent in.
func NormalizeRole(s string) lti2.Role {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	lower := strings.ToLower(s)
	var full string
	switch {
	case strings.HasPrefix(lower, mmRolePrefix):
		full = membershipRolePrefix + s[len(mmRolePrefix):]
	case strings.HasPrefix(lower, "urn:") || strings.Contains(s, "://"):
		full = s
	default:
		full = contextRolePrefix + s
	}
	if r, ok := knownRoles()[strings.ToLower(full)]; ok {
		return r
	}
	return lti2.Role(full)
}

// ParseRoles parses the roles parameter: a comma-separated list of roles in
// any form NormalizeRole accepts. Blank items and repeats are dropped, and
// at most 256 roles of at most 512 bytes each are kept (longer ones are
// dropped), so a hostile list cannot grow without bound.
func ParseRoles(s string) []lti2.Role {
	var out []lti2.Role
	seen := make(map[lti2.Role]bool)
	for item := range strings.SplitSeq(s, ",") {
		if len(out) == maxRoles {
			break
		}
		if len(item) > maxRoleLen {
			continue
		}
		r := NormalizeRole(item)
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	return out
}

// FormatRoles writes roles as the value of the roles parameter: each role
// normalised to its full URN or IRI, blanks and repeats dropped, joined by
// commas.
func FormatRoles(roles []lti2.Role) string {
	var b strings.Builder
	seen := make(map[lti2.Role]bool, len(roles))
	for _, r := range roles {
		n := NormalizeRole(string(r))
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(n))
	}
	return b.String()
}

// membershipParents gives the parent role of each sub-role of the LIS v2
// membership vocabulary, which names sub-roles without a path.
var membershipParents = map[string]string{
	"PrimaryInstructor": "Instructor", "SecondaryInstructor": "Instructor", "Lecturer": "Instructor",
	"GuestInstructor": "Instructor", "ExternalInstructor": "Instructor",
	"NonCreditLearner": "Learner", "GuestLearner": "Learner", "ExternalLearner": "Learner",
}

// contextRole returns a role in the LTI 1 context-role URN form when it is
// a context role of the LIS v2 membership vocabulary (or of the mm
// namespace some consumers used), so that both spellings compare equal;
// other roles are returned as they are.
func contextRole(r lti2.Role) string {
	s := string(r)
	name, ok := strings.CutPrefix(s, membershipRolePrefix)
	if !ok {
		name, ok = strings.CutPrefix(s, mmRolePrefix)
	}
	if !ok || name == "" {
		return s
	}
	if parent, sub := membershipParents[name]; sub {
		return contextRolePrefix + parent + "/" + name
	}
	return contextRolePrefix + name
}
