package simulator

import (
	"encoding/json"
	"net/http"
)

// /AuthorizeAsync (https://help.flinks.com/support/solutions/articles/43000735707-authorizeasync, read 2026-12-07),
// switched on per instance (Options.AuthorizeAsync). The article shows the flow, not the bodies: the first call
// (an /Authorize body) answers 202 with a RequestId; the integrator then calls /AuthorizeAsync with that RequestId
// and gets 203 with the security questions, or 200 once authorized; an answer ({RequestId, SecurityResponses})
// answers 202 again, and the next poll 203 or 200. The simulator runs each non-poll call through /Authorize itself
// (the same token rules, questions and errors), keeps the outcome, and hands it to the next poll. The bodies are
// /Authorize's (inferred; flinks/contract/endpoints/AuthorizeAsync.json). A poll is not checked for a token: the
// article names none.

const codeMethodNotAvailable = "METHOD_NOT_AVAILABLE"

func init() {
	registerEndpoint(endpoint{name: "AuthorizeAsync", methods: []string{http.MethodPost}, cred: tokenHeader,
		jsonBody: true, serve: (*Simulator).serveAuthorizeAsync})
}

// asyncAuthorizeResult is what /Authorize answered for a RequestId, waiting for its poll.
type asyncAuthorizeResult struct {
	status int
	body   json.RawMessage
}

// asyncAccepted is the 202 of /AuthorizeAsync.
type asyncAccepted struct {
	HTTPStatusCode int    `json:"HttpStatusCode"`
	RequestID      string `json:"RequestId"`
	FlinksCode     string `json:"FlinksCode"`
	Message        string `json:"Message"`
}

func (s *Simulator) serveAuthorizeAsync(w http.ResponseWriter, r *http.Request) {
	if !s.opts.AuthorizeAsync {
		s.writeError(w, &apiError{status: 400, code: codeMethodNotAvailable, message: "AuthorizeAsync is not " +
			"enabled for this instance; call /Authorize, or ask Flinks to activate it (simulate --authorize-async)."})
		return
	}
	var req authorizeRequest
	decodeErr := decodeJSON(r, &req)
	if decodeErr == nil && req.RequestID != "" && len(req.SecurityResponses) == 0 && req.LoginID == "" &&
		req.Username == "" {
		s.mu.Lock()
		res, ok := s.asyncAuth[req.RequestID]
		s.mu.Unlock()
		if !ok {
			s.writeError(w, &apiError{status: 400, code: codeSessionNonexistent, requestID: req.RequestID,
				message: "No AuthorizeAsync call is known for this RequestId; start with an /AuthorizeAsync carrying the LoginId."})
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(res.status)
		_, _ = w.Write(res.body)
		return
	}
	status, body := s.authorize(r.Header.Get("flinks-auth-key"), &req, decodeErr)
	raw, err := json.Marshal(body)
	var head struct{ RequestId string }
	if status >= 300 || err != nil || json.Unmarshal(raw, &head) != nil || head.RequestId == "" {
		writeJSON(w, status, body) // a refusal is answered at once, as /Authorize answers it
		return
	}
	s.mu.Lock()
	if s.asyncAuth == nil {
		s.asyncAuth = map[string]asyncAuthorizeResult{}
	}
	s.asyncAuth[head.RequestId] = asyncAuthorizeResult{status: status, body: raw}
	s.mu.Unlock()
	writeJSON(w, http.StatusAccepted, asyncAccepted{HTTPStatusCode: http.StatusAccepted, RequestID: head.RequestId,
		FlinksCode: codeOperationPending, Message: "The authorization is in progress; call /AuthorizeAsync with this RequestId."})
}
