package web

import (
	"context"
	"net/http"
)

// Cookie names. With Secure cookies the __Host- prefix also binds the cookie to this
// host and path /, so no subdomain can set or shadow it.
const (
	cookieName       = "cvetl_session"
	secureCookieName = "__Host-cvetl_session"
)

func (s *Server) secure(r *http.Request) bool { return s.cfg.SecureCookies || r.TLS != nil }

func (s *Server) cookieName(r *http.Request) string {
	if s.secure(r) {
		return secureCookieName
	}
	return cookieName
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, ss *session) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r), Value: ss.id, Path: "/",
		// No MaxAge: the cookie dies with the browser; the server ends the session
		// itself after SessionIdle or SessionMax.
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
}

// currentSession returns the request's live session, if any.
func (s *Server) currentSession(r *http.Request) (session, bool) {
	c, err := r.Cookie(s.cookieName(r))
	if err != nil || c.Value == "" {
		return session{}, false
	}
	return s.sessions.get(c.Value)
}

// account is the logged-in user of a request.
type account struct {
	session
	User
}

type accountKey struct{}

func accountOf(ctx context.Context) account { return ctx.Value(accountKey{}).(account) }

// user lets through requests of a logged-in user. Other GETs are sent to the login
// page; other requests are refused with 401. Every POST must carry the session's CSRF
// token, compared in constant time.
func (s *Server) user(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ss, ok := s.currentSession(r)
		var u User
		if ok && ss.user != "" {
			u, ok = s.cfg.Users.lookup(ss.user)
		} else {
			ok = false
		}
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusUnauthorized, "You are not logged in (or your session expired). Log in and try again.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if !equalTokens(ss.csrf, r.PostFormValue("csrf")) {
				s.fail(w, r, http.StatusForbidden, "This form is not from this page or is out of date (CSRF token missing or wrong). Reload the page and try again.")
				return
			}
		}
		next(w, r.WithContext(context.WithValue(r.Context(), accountKey{}, account{ss, u})))
	}
}

// needs refuses users whose role may not do a.
func (s *Server) needs(a action, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc := accountOf(r.Context())
		if !acc.Role.can(a) {
			s.cfg.Logger.Info("web: refused by role", "role", acc.Role, "path", r.URL.Path)
			s.fail(w, r, http.StatusForbidden, "Your role ("+string(acc.Role)+") does not allow this. "+roleHelp)
			return
		}
		next(w, r)
	}
}

const roleHelp = "Reviewers view manifests, decide and reveal evidence; operators view manifests; analysts see aggregate pages only."

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.currentSession(r)
	if ok && ss.user != "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !ok {
		created := s.sessions.create("")
		ss = *created
		s.setSessionCookie(w, r, created)
	}
	s.render(w, r, http.StatusOK, "login", page{CSRF: ss.csrf})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ss, ok := s.currentSession(r)
	if !ok || !equalTokens(ss.csrf, r.PostFormValue("csrf")) {
		s.fail(w, r, http.StatusForbidden, "The login form is out of date (CSRF token missing or wrong). Open the login page again.")
		return
	}
	name := r.PostFormValue("name")
	addrKey, nameKey := "addr:"+clientAddr(r), "name:"+name
	if !s.limiter.allowed(addrKey, nameKey) {
		s.cfg.Logger.Warn("web: login refused: too many failures", "addr", clientAddr(r))
		s.render(w, r, http.StatusTooManyRequests, "login", page{CSRF: ss.csrf,
			Flash: flash{Error: true, Text: "Too many failed logins. Wait 15 minutes and try again."}})
		return
	}
	u, ok := s.cfg.Users.Authenticate(name, r.PostFormValue("password"))
	if !ok {
		s.limiter.fail(addrKey, nameKey)
		// The name is not logged: it may be a password typed in the wrong box.
		s.cfg.Logger.Warn("web: login failed", "addr", clientAddr(r))
		s.render(w, r, http.StatusUnauthorized, "login", page{CSRF: ss.csrf,
			Flash: flash{Error: true, Text: "Wrong name or password."}})
		return
	}
	s.limiter.succeed(nameKey)
	s.sessions.delete(ss.id)
	s.setSessionCookie(w, r, s.sessions.create(u.Name))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.sessions.delete(accountOf(r.Context()).id)
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
