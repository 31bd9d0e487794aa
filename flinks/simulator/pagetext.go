package simulator

// pageText is every text the Connect and bank pages show, in English and French. Templates read it as .T.key;
// a key missing here fails the render (missingkey=error), and TestPageTextComplete checks both languages.
var pageText = map[string]localized{
	"title":          {"Connect your account", "Connectez votre compte"},
	"secured":        {"Secured by Flinks (simulator)", "Sécurisé par Flinks (simulateur)"},
	"close":          {"Close", "Fermer"},
	"back":           {"Back", "Retour"},
	"continue":       {"Continue", "Continuer"},
	"consent_title":  {"Share your banking data", "Partagez vos données bancaires"},
	"consent_uses":   {"uses Flinks to connect to your bank account.", "utilise Flinks pour se connecter à votre compte bancaire."},
	"consent_anon":   {"This service uses Flinks to connect to your bank account.", "Ce service utilise Flinks pour se connecter à votre compte bancaire."},
	"consent_point1": {"Your username and password are never shared.", "Votre nom d'utilisateur et votre mot de passe ne sont jamais partagés."},
	"consent_point2": {"Only read access: no one can move money.", "Accès en lecture seulement : personne ne peut déplacer d'argent."},
	"consent_point3": {"This is a simulator: no real bank is contacted.", "Ceci est un simulateur : aucune vraie banque n'est contactée."},
	"accept":         {"I agree", "J'accepte"},
	"deny":           {"Decline", "Refuser"},
	"choose_bank":    {"Choose your institution", "Choisissez votre institution"},
	"search":         {"Search for your institution", "Recherchez votre institution"},
	"search_button":  {"Search", "Rechercher"},
	"test_bank":      {"Test institution", "Institution de test"},
	"unavailable":    {"Not available in the simulator", "Non disponible dans le simulateur"},
	"no_match":       {"No institution matches your search.", "Aucune institution ne correspond à votre recherche."},
	"no_demo": {"Flinks Capital, the test institution, is listed only with demo=true in the Connect URL.",
		"Flinks Capital, l'institution de test, n'apparaît qu'avec demo=true dans l'URL de Connect."},
	"unavailable_picked": {"This institution is not available in the simulator; choose Flinks Capital (demo=true).",
		"Cette institution n'est pas disponible dans le simulateur; choisissez Flinks Capital (demo=true)."},
	"log_in_to": {"Log in to", "Connectez-vous à"},
	"username":  {"Username", "Nom d'utilisateur"},
	"password":  {"Password", "Mot de passe"},
	"log_in":    {"Log in", "Se connecter"},
	"test_users": {"Test users: Greatday (security questions), greatday_nomfa, test_disabled_account, test_service_unavailable; password Everyday.",
		"Utilisateurs de test : Greatday (questions de sécurité), greatday_nomfa, test_disabled_account, test_service_unavailable; mot de passe Everyday."},
	"credentials_required": {"Enter your username and password.", "Entrez votre nom d'utilisateur et votre mot de passe."},
	"mfa_title":            {"Security question", "Question de sécurité"},
	"answer":               {"Answer", "Réponse"},
	"answer_required":      {"Enter an answer to the security question.", "Entrez une réponse à la question de sécurité."},
	"accounts_title":       {"Choose the accounts to share", "Choisissez les comptes à partager"},
	"account_title":        {"Choose the account to share", "Choisissez le compte à partager"},
	"accounts_required":    {"Choose at least one account.", "Choisissez au moins un compte."},
	"account_required":     {"Choose one account.", "Choisissez un compte."},
	"done_title":           {"Your account is connected", "Votre compte est connecté"},
	"done_redirect": {"Taking you back… If nothing happens, select Continue.",
		"Retour en cours… Si rien ne se passe, sélectionnez Continuer."},
	"done_close":   {"You can close this window.", "Vous pouvez fermer cette fenêtre."},
	"denied_title": {"You declined", "Vous avez refusé"},
	"denied_body": {"No data was shared. Close this window, or start again to connect an account.",
		"Aucune donnée n'a été partagée. Fermez cette fenêtre ou recommencez pour connecter un compte."},
	"max_retry_title": {"Too many attempts", "Trop de tentatives"},
	"max_retry_body": {"The login failed too many times. Start again later from the application.",
		"La connexion a échoué trop de fois. Recommencez plus tard à partir de l'application."},
	"cannot_start": {"Connect cannot start", "Connect ne peut pas démarrer"},
	"token_missing": {"The Connect URL has no authorizeToken. Call GenerateAuthorizeToken on this simulator and add the token as authorizeToken=… to the iframe URL.",
		"L'URL de Connect n'a pas d'authorizeToken. Appelez GenerateAuthorizeToken sur ce simulateur et ajoutez le jeton comme authorizeToken=… à l'URL de l'iframe."},
	"token_unknown": {"This authorizeToken was not issued by this simulator (or the simulator restarted since). Call GenerateAuthorizeToken on this simulator and use the token it returns.",
		"Cet authorizeToken n'a pas été émis par ce simulateur (ou le simulateur a redémarré depuis). Appelez GenerateAuthorizeToken sur ce simulateur et utilisez le jeton qu'il renvoie."},
	"token_secret": {"The authorizeToken is the secret key, not a token. Call GenerateAuthorizeToken with the secret key and pass the token it returns.",
		"L'authorizeToken est la clé secrète, pas un jeton. Appelez GenerateAuthorizeToken avec la clé secrète et passez le jeton qu'il renvoie."},
	"token_expired": {"This authorizeToken expired (tokens last 30 minutes). Generate a fresh one and load Connect again.",
		"Cet authorizeToken a expiré (les jetons durent 30 minutes). Générez-en un nouveau et rechargez Connect."},
	"token_used": {"This authorizeToken was already used. Tokens are single-use: generate a fresh one for each Connect load.",
		"Cet authorizeToken a déjà été utilisé. Les jetons sont à usage unique : générez-en un nouveau à chaque chargement de Connect."},
	"bad_redirect": {"The redirectUrl is not an absolute http(s) URL without a #fragment. Fix it in the Connect URL.",
		"Le redirectUrl n'est pas une URL http(s) absolue sans #fragment. Corrigez-le dans l'URL de Connect."},
	"session_gone_title": {"This session has ended", "Cette session est terminée"},
	"session_gone": {"This Connect session is unknown or expired (after 30 minutes without activity, or a simulator restart). Load Connect again with a fresh authorizeToken.",
		"Cette session Connect est inconnue ou expirée (après 30 minutes d'inactivité, ou un redémarrage du simulateur). Rechargez Connect avec un nouvel authorizeToken."},
	"bank_title": {"Online banking (simulated)", "Services bancaires en ligne (simulés)"},
	"bank_intro": {"An application asked Flinks to connect to your account. Log in to allow it, or cancel.",
		"Une application a demandé à Flinks de se connecter à votre compte. Connectez-vous pour l'autoriser, ou annulez."},
	"cancel": {"Cancel", "Annuler"},
	"bank_gone": {"This login page is unknown or expired. Start again from the application.",
		"Cette page de connexion est inconnue ou expirée. Recommencez à partir de l'application."},
}

// pageTextIn is pageText flattened per language, built once.
var pageTextIn = func() [2]map[string]string {
	var out [2]map[string]string
	for _, lang := range []language{english, french} {
		out[lang] = make(map[string]string, len(pageText))
		for k, v := range pageText {
			out[lang][k] = v.in(lang)
		}
	}
	return out
}()
