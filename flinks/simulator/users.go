package simulator

import (
	"slices"
	"strings"
)

// The test institution (docs/flinks-contract.md, "Environments and test users").
const (
	institutionCode = "FlinksCapital"
	institutionName = "FlinksCapital" // InstitutionName as the samples spell it (get-accounts-detail on docs.flinks.com)
	// institutionDisplayName is what the simulated pages show a person.
	institutionDisplayName = "Flinks Capital"
	institutionID          = 14
	testPassword           = "Everyday"
)

// outcome is what a test user's bank does with a login.
type outcome int

const (
	outcomeMFA        outcome = iota // security questions on every live login
	outcomeSuccess                   // no MFA
	outcomeDisabled                  // DISABLED_LOGIN
	outcomeRetryLater                // RETRY_LATER
	outcomeDispatched                // 202 OPERATION_DISPATCHED, then the Async endpoint
	outcomePending                   // 202 OPERATION_PENDING, then the Async endpoint
)

type testUser struct {
	username string // canonical spelling
	outcome  outcome
}

// testUsers are the Flinks Capital users of docs/flinks-contract.md, "Environments and test users", all with the password "Everyday".
var testUsers = []testUser{
	{"Greatday", outcomeMFA},
	{"greatday_nomfa", outcomeSuccess},
	{"test_disabled_account", outcomeDisabled},
	{"test_service_unavailable", outcomeRetryLater},
	{"test_dispatched", outcomeDispatched},
	{"test_pending", outcomePending},
}

// lookupTestUser matches usernames case-insensitively: the contract leaves it UNCONFIRMED and one of Flinks' own
// examples sends "greatday", so accepting both is the defensive choice.
func lookupTestUser(username string) (testUser, bool) {
	for _, u := range testUsers {
		if strings.EqualFold(u.username, strings.TrimSpace(username)) {
			return u, true
		}
	}
	return testUser{}, false
}

// language is the bank's language for prompts and messages (the Language field of /Authorize).
type language int

const (
	english language = iota
	french
)

func parseLanguage(s string) language {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "fr") {
		return french
	}
	return english
}

// localized is a text in each language the simulator speaks.
type localized [2]string

func (l localized) in(lang language) string { return l[lang] }

// question is a Canadian Flinks Capital security question, in the current wording of
// https://docs.flinks.com/guides/connect/flinks-connect/test-users ("on Earth?", "like the most?"; the older
// /docs/test-institution page says "on earth?" and "like most?").
type question struct {
	prompt localized
	answer string
}

var securityQuestions = []question{
	{localized{"What city were you born in?", "Dans quelle ville êtes-vous né?"}, "Montreal"},
	{localized{"What is the best country on Earth?", "Quel est le meilleur pays au monde?"}, "Canada"},
	{localized{"What shape do people like the most?", "Quelle forme les gens préfèrent-ils?"}, "Triangle"},
}

// accentFolder lets "Montréal" answer "Montreal", as a person typing in French would.
var accentFolder = strings.NewReplacer(
	"é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "î", "i", "ï", "i", "ô", "o", "ù", "u", "û", "u",
	"ç", "c", "É", "E", "È", "E", "Ê", "E", "À", "A", "Ç", "C",
)

// answers reports whether given answers q: case-, accent- and surrounding-space-insensitive.
func (q question) answers(given string) bool {
	return strings.EqualFold(accentFolder.Replace(strings.TrimSpace(given)), q.answer)
}

// bankMessages are the messages that come from the bank, so they follow the Language of /Authorize. Protocol errors
// (keys, tokens, malformed requests) stay in English, as Flinks' own are.
var bankMessages = map[string]localized{
	codeInvalidUsername: {
		"The username provided was different from what the bank expected.",
		"Le nom d'utilisateur fourni ne correspond pas à celui attendu par l'institution.",
	},
	codeInvalidPassword: {
		"The password provided was different from what the bank expected.",
		"Le mot de passe fourni ne correspond pas à celui attendu par l'institution.",
	},
	codeDisabledLogin: {
		"This account is disabled at the institution; the user must contact their bank.",
		"Ce compte est désactivé par l'institution; l'utilisateur doit communiquer avec sa banque.",
	},
	codeRetryLater: {
		"The institution cannot be reached at the moment; please retry later.",
		"L'institution est injoignable pour le moment; veuillez réessayer plus tard.",
	},
	codeInvalidSecurityResponse: {
		"The answer to the security question is incorrect.",
		"La réponse à la question de sécurité est incorrecte.",
	},
	codeInvalidSecurityResponseNoRetry: {
		"Too many incorrect answers to the security questions; start the login again.",
		"Trop de réponses incorrectes aux questions de sécurité; recommencez la connexion.",
	},
	codeUnknownChallengeKey: {
		"The security response does not answer the question that was asked.",
		"La réponse de sécurité ne correspond pas à la question posée.",
	},
	codeSecurityResponsesIncomplete: {
		"An answer to the security question is required.",
		"Une réponse à la question de sécurité est requise.",
	},
}

func bankError(status int, code string, lang language) *apiError {
	return &apiError{status: status, code: code, message: bankMessages[code].in(lang), institution: institutionCode}
}

// checkCredentials is the bank's answer to a username and password at Flinks Capital.
func checkCredentials(username, password string, lang language) (testUser, *apiError) {
	user, ok := lookupTestUser(username)
	if !ok {
		return testUser{}, bankError(401, codeInvalidUsername, lang)
	}
	if password != testPassword {
		return testUser{}, bankError(401, codeInvalidPassword, lang)
	}
	return user, nil
}

// refusal is the error a user's bank answers every login with, if any.
func (u testUser) refusal(lang language) *apiError {
	switch u.outcome {
	case outcomeDisabled:
		return bankError(401, codeDisabledLogin, lang)
	case outcomeRetryLater:
		return bankError(401, codeRetryLater, lang)
	}
	return nil
}

// pickQuestionsLocked chooses the questions of one MFA session. By default it is one round carrying the three
// questions, in the order of https://docs.flinks.com/guides/connect/flinks-connect/test-users. With
// Options.MFARounds = N it is N rounds of one question each, and the opening question rotates from one session to
// the next, so a client that hard-codes one prompt fails quickly instead of passing by luck.
func (s *Simulator) pickQuestionsLocked() [][]question {
	if s.opts.MFARounds == 0 {
		return [][]question{slices.Clone(securityQuestions)}
	}
	rounds := make([][]question, s.opts.MFARounds)
	for i := range rounds {
		rounds[i] = []question{securityQuestions[(s.mfaCount+i)%len(securityQuestions)]}
	}
	s.mfaCount++
	return rounds
}
