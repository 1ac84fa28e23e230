package redact

// found is the kind and system expected of one match.
type found struct {
	kind   Kind
	system string
}

// positive is an answer holding credentials: want is the redacted text, found the matches in order and
// secrets the values that must not survive anywhere in the output.
type positive struct {
	name    string
	in      string
	want    string
	found   []found
	secrets []string
}

const (
	rsaKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8Zl1lQRkBV3oq5ZYQF1a4M0bB\n" +
		"q4pXf2gK9b8ZXo1lqkN6xgU2Zb0k3vC9h2T8bQIDAQABAoIBAQCkXq9\n-----END RSA PRIVATE KEY-----"
	sshKey = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB " +
		"AAAAMwAAAAtzc2gtZWQyNTUxOQAAACB9x -----END OPENSSH PRIVATE KEY-----"
	cutKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7…"
	jwtTok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	azure  = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

func one(k Kind, system string) []found { return []found{{k, system}} }

var positives = []positive{
	// Passwords announced in words.
	{"salesforce sandbox login pair", "the admin login for their Salesforce sandbox is admin@acme.com / Winter2024!",
		"the admin login for their Salesforce sandbox is admin@acme.com / [REDACTED password]",
		one(Password, "Salesforce sandbox"), []string{"Winter2024!"}},
	{"password for possessive system", "the admin password for Acme's Salesforce is Winter2024!",
		"the admin password for Acme's Salesforce is [REDACTED password]",
		one(Password, "Acme's Salesforce"), []string{"Winter2024!"}},
	{"quoted wifi password", "the wifi password is 'bluefish77'", "the wifi password is '[REDACTED password]'",
		one(Password, "wifi"), []string{"bluefish77"}},
	{"pw colon", "pw: hunter22", "pw: [REDACTED password]", one(Password, ""), []string{"hunter22"}},
	{"login slash pair", "login admin / Winter2024!", "login admin / [REDACTED password]", one(Password, ""),
		[]string{"Winter2024!"}},
	{"credentials user:pass", "credentials: svc_backup:Tr0ub4dor&3", "credentials: svc_backup:[REDACTED password]",
		one(Password, ""), []string{"Tr0ub4dor&3"}},
	{"changed to", "Their Zendesk admin password was changed to Spring2025# last week",
		"Their Zendesk admin password was changed to [REDACTED password] last week",
		one(Password, "Zendesk"), []string{"Spring2025#"}},
	{"dash linker", "their SFTP server password - Acme_sftp#2023", "their SFTP server password - [REDACTED password]",
		one(Password, "SFTP server"), []string{"Acme_sftp#2023"}},
	{"system before comma", "For Zendesk, the admin password is Zd3sk!Admin",
		"For Zendesk, the admin password is [REDACTED password]", one(Password, "Zendesk"), []string{"Zd3sk!Admin"}},
	{"direct strong value", "use password Summer2025! for the VPN", "use password [REDACTED password] for the VPN",
		one(Password, "VPN"), []string{"Summer2025!"}},
	{"username and password", "username: jdoe, password: Jd0e$ecure", "username: jdoe, password: [REDACTED password]",
		one(Password, ""), []string{"Jd0e$ecure"}},
	{"equals sign", "their Jira password = jira4ever", "their Jira password = [REDACTED password]",
		one(Password, "Jira"), []string{"jira4ever"}},
	{"passphrase with spaces", "the passphrase is 'correct horse battery staple'",
		"the passphrase is '[REDACTED password]'", one(Password, ""), []string{"correct horse battery staple"}},
	{"PIN", "the PIN for the office alarm is 4821", "the PIN for the office alarm is [REDACTED password]",
		one(Password, "office alarm"), []string{"4821"}},
	{"door code", "door code is 7719", "door code is [REDACTED password]", one(Password, ""), []string{"7719"}},
	{"JSON", `config has "password": "Acme#2024" in it`, `config has "password": "[REDACTED password]" in it`,
		one(Password, ""), []string{"Acme#2024"}},
	{"env var", "export DB_PASSWORD=s3cretValue9", "export DB_PASSWORD=[REDACTED password]", one(Password, "DB"),
		[]string{"s3cretValue9"}},
	{"root password", "the AWS root password is Acme!Root#77", "the AWS root password is [REDACTED password]",
		one(Password, "AWS"), []string{"Acme!Root#77"}},
	{"password after comma list", "Salesforce sandbox: user admin@acme.com, password Winter2024!",
		"Salesforce sandbox: user admin@acme.com, password [REDACTED password]", one(Password, "Salesforce"),
		[]string{"Winter2024!"}},
	{"repeated password", "the password is Winter2024!x and yes, Winter2024!x works for the VPN too",
		"the password is [REDACTED password] and yes, [REDACTED password] works for the VPN too",
		[]found{{Password, ""}, {Password, ""}}, []string{"Winter2024!x"}},
	{"mysql command line", "mysql -u root -pS3cretPass crm", "mysql -u root -p[REDACTED password] crm",
		one(Password, ""), []string{"S3cretPass"}},
	{"curl basic auth", "curl -u admin:S3cretPass https://api.acme.com", "curl -u admin:[REDACTED password] https://api.acme.com",
		one(Password, ""), []string{"S3cretPass"}},

	// API keys.
	{"truncated sk-live", "API key sk-live-4f9a…", "API key [REDACTED api_key]", one(APIKey, ""), []string{"sk-live-4f9a"}},
	{"github token", "token: ghp_16C7e42F292c6912E7710c838347Ae178B4a", "token: [REDACTED api_key]",
		one(APIKey, "GitHub"), []string{"ghp_16C7e42F292c6912E7710c838347Ae178B4a"}},
	{"aws key id and secret",
		"The AWS access key id is AKIAIOSFODNN7EXAMPLE and the secret is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"The AWS access key id is [REDACTED api_key] and the secret is [REDACTED secret]",
		[]found{{APIKey, "AWS"}, {Secret, "AWS"}}, []string{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
	{"aws secret access key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"aws_secret_access_key = [REDACTED api_key]", one(APIKey, "aws"), []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
	{"slack bot token", "Slack bot token xoxb-2345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
		"Slack bot token [REDACTED api_key]", one(APIKey, "Slack"), []string{"xoxb-2345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"}},
	{"gitlab", "GitLab: glpat-xY3zA9bC7dE5fG1hJ2kL", "GitLab: [REDACTED api_key]", one(APIKey, "GitLab"),
		[]string{"glpat-xY3zA9bC7dE5fG1hJ2kL"}},
	{"stripe live", "Stripe live key sk_live_51HqLyjWDarjtT1zdp7dcXYZ", "Stripe live key [REDACTED api_key]",
		one(APIKey, "Stripe"), []string{"sk_live_51HqLyjWDarjtT1zdp7dcXYZ"}},
	{"sendgrid", "SendGrid key 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",
		"SendGrid key [REDACTED api_key]", one(APIKey, "SendGrid"),
		[]string{"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"}},
	{"twilio", "Twilio API key SKb1e2c3d4e5f60718293a4b5c6d7e8f90 for SMS", "Twilio API key [REDACTED api_key] for SMS",
		one(APIKey, "Twilio"), []string{"SKb1e2c3d4e5f60718293a4b5c6d7e8f90"}},
	{"npm", "npm token npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 for publishing",
		"npm token [REDACTED api_key] for publishing", one(APIKey, "npm"), []string{"npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}},
	{"google", "Maps key AIzaSyD-1234567890abcdefghijklmnopqrstu in the widget", "Maps key [REDACTED api_key] in the widget",
		one(APIKey, "Maps"), []string{"AIzaSyD-1234567890abcdefghijklmnopqrstu"}},
	{"x-api-key header", "x-api-key: 3f9a8b7c6d5e4f3a2b1c0d9e", "x-api-key: [REDACTED api_key]", one(APIKey, ""),
		[]string{"3f9a8b7c6d5e4f3a2b1c0d9e"}},
	{"api key is", "the API key is 8f14e45fceea167a5a36dedd4bea2543", "the API key is [REDACTED api_key]",
		one(APIKey, ""), []string{"8f14e45fceea167a5a36dedd4bea2543"}},
	{"azure account key", "Azure storage: DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=" + azure + ";EndpointSuffix=core.windows.net",
		"Azure storage: DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=[REDACTED api_key];EndpointSuffix=core.windows.net",
		one(APIKey, "acmeprod"), []string{azure}},
	{"hubspot", "HubSpot private app token pat-na1-11111111-2222-3333-4444-555555555555",
		"HubSpot private app token [REDACTED api_key]", one(APIKey, "HubSpot"), []string{"pat-na1-11111111-2222-3333-4444-555555555555"}},

	// Tokens.
	{"bearer jwt", "Authorization: Bearer " + jwtTok, "Authorization: Bearer [REDACTED token]", one(Token, ""), []string{jwtTok}},
	{"bearer hex", "they authenticate with bearer 7d9f8e6a5b4c3d2e1f0a9b8c7d6e5f4a on every call",
		"they authenticate with bearer [REDACTED token] on every call", one(Token, ""), []string{"7d9f8e6a5b4c3d2e1f0a9b8c7d6e5f4a"}},
	{"basic auth header", "Authorization: Basic YWRtaW46V2ludGVyMjAyNCE=", "Authorization: Basic [REDACTED token]",
		one(Token, ""), []string{"YWRtaW46V2ludGVyMjAyNCE="}},
	{"session id", "the session id is 5f2b8c1e9a7d4f3b6c0a", "the session id is [REDACTED token]", one(Token, ""),
		[]string{"5f2b8c1e9a7d4f3b6c0a"}},
	{"quoted token", "the Zendesk API token is 'Zx9kLm2Pq7Rs4Tv8Wy1A' for the support bot",
		"the Zendesk API token is '[REDACTED token]' for the support bot", one(Token, "Zendesk"), []string{"Zx9kLm2Pq7Rs4Tv8Wy1A"}},
	{"refresh token", "refresh_token=1//0gL9xQk3bTzR7CgYIARAAGBASNwF-L9IrXyZ", "refresh_token=[REDACTED token]",
		one(Token, ""), []string{"1//0gL9xQk3bTzR7CgYIARAAGBASNwF-L9IrXyZ"}},
	{"token in query", "the reset link was https://app.acme.com/reset?token=8f2a9c1e7b3d4f5a6b7c&user=12 yesterday",
		"the reset link was https://app.acme.com/reset?token=[REDACTED token]&user=12 yesterday", one(Token, "app.acme.com"),
		[]string{"8f2a9c1e7b3d4f5a6b7c"}},

	// Private keys.
	{"rsa block", "Here is the deploy key for their SFTP server:\n" + rsaKey + "\nUse it carefully.",
		"Here is the deploy key for their SFTP server:\n[REDACTED private_key]\nUse it carefully.",
		one(PrivateKey, "SFTP server"), []string{rsaKey}},
	{"openssh on one line", "ssh key for the Acme bastion " + sshKey + " ok", "ssh key for the Acme bastion [REDACTED private_key] ok",
		one(PrivateKey, "Acme bastion"), []string{sshKey}},
	{"key cut short", cutKey + "\n(rest in the vault)", "[REDACTED private_key]\n(rest in the vault)", one(PrivateKey, ""),
		[]string{"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"}},

	// Connection strings.
	{"postgres url", "connect with postgres://svc:Pa55w0rd@db.acme.internal:5432/prod",
		"connect with [REDACTED connection_string]", one(ConnectionString, "postgres at db.acme.internal"), []string{"Pa55w0rd"}},
	{"mysql url", "mysql://root:S3cr3tPass@10.0.0.12:3306/crm", "[REDACTED connection_string]",
		one(ConnectionString, "mysql at 10.0.0.12"), []string{"S3cr3tPass"}},
	{"mongodb srv", "mongodb+srv://app:Tr0ub4dor@cluster0.ab1cd.mongodb.net/prod?retryWrites=true", "[REDACTED connection_string]",
		one(ConnectionString, "mongodb+srv at cluster0.ab1cd.mongodb.net"), []string{"Tr0ub4dor"}},
	{"redis password only", "cache is redis://:Sup3rS3cret@cache.acme.io:6379.", "cache is [REDACTED connection_string].",
		one(ConnectionString, "redis at cache.acme.io"), []string{"Sup3rS3cret"}},
	{"amqp", "(amqp://guest:Rabb1tPass@mq.acme.io)", "([REDACTED connection_string])",
		one(ConnectionString, "amqp at mq.acme.io"), []string{"Rabb1tPass"}},
	{"https with user info", "clone from https://deploy:hunter22@git.acme.com/repo.git please",
		"clone from [REDACTED connection_string] please", one(ConnectionString, "https at git.acme.com"), []string{"hunter22"}},
	{"jdbc", "jdbc:sqlserver://sql.acme.com:1433;databaseName=crm;user=sa;password=Adm1n!2024;", "[REDACTED connection_string];",
		one(ConnectionString, "sqlserver at sql.acme.com"), []string{"Adm1n!2024"}},
	{"odbc", "Server=tcp:acme.database.windows.net,1433;Database=crm;User ID=svc_report;Password=R3p0rt!ng;",
		"Server=tcp:acme.database.windows.net,1433;Database=crm;User ID=svc_report;Password=[REDACTED connection_string];",
		one(ConnectionString, "acme.database.windows.net"), []string{"R3p0rt!ng"}},

	// Other secrets.
	{"webhook signing secret", "webhook signing secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "webhook signing secret [REDACTED secret]",
		one(Secret, ""), []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}},
	{"client secret", "The client secret for the Okta app is 9f8e7d6c5b4a3f2e1d0c", "The client secret for the Okta app is [REDACTED secret]",
		one(Secret, "Okta"), []string{"9f8e7d6c5b4a3f2e1d0c"}},
	{"shared secret", "shared secret: Xk9#mP2$vL5&nQ8", "shared secret: [REDACTED secret]", one(Secret, ""), []string{"Xk9#mP2$vL5&nQ8"}},
	{"signing key", "the signing key we use is 8fJ2kL9mN4pQ7rS1tU6vW3x", "the signing key we use is [REDACTED secret]",
		one(Secret, ""), []string{"8fJ2kL9mN4pQ7rS1tU6vW3x"}},
	{"license key", "license key — 4Hk9-Lm2P-Qr7S-Tv3W-Xz8Y", "license key — [REDACTED secret]", one(Secret, ""),
		[]string{"4Hk9-Lm2P-Qr7S-Tv3W-Xz8Y"}},
	{"google client secret", "client_secret=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", "client_secret=[REDACTED secret]",
		one(Secret, "Google"), []string{"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"}},
	{"slack webhook url", "post to https://hooks.slack.com/services/T024BE7LD/B01A2B3C4D5/8xYzAbCdEfGhIjKlMnOpQrSt for alerts",
		"post to [REDACTED secret] for alerts", one(Secret, "Slack"), []string{"8xYzAbCdEfGhIjKlMnOpQrSt"}},
	{"high entropy after credential word", "the credential they gave us, 7Gh2-Kq9_Lm4+Np8/Rs3=Tv6, works",
		"the credential they gave us, [REDACTED secret], works", one(Secret, ""), []string{"7Gh2-Kq9_Lm4+Np8/Rs3=Tv6"}},
}

// nearMisses talk about credentials, or hold things shaped a bit like them, and must stay as they are.
var nearMisses = []struct{ name, in string }{
	{"reset last week", "we reset their password last week"},
	{"policy", "password policy requires 12 characters"},
	{"rotation overdue", "the API key rotation is overdue"},
	{"ticket id", "ticket SUP-4411 is still open"},
	{"money", "they pay $240,000 a year"},
	{"date", "renewal date is 2027-01-31"},
	{"uuid in ticket url", "see https://acme.zendesk.com/agent/tickets/123e4567-e89b-12d3-a456-426614174000 for the history"},
	{"token-based", "token-based pricing is what they want"},
	{"short commit", "the fix went in with commit 3f2a9c1"},
	{"long words", "internationalization and counterrevolutionary characteristically"},
	{"email alone", "email jane.doe@acme.com for access"},
	{"plain url", "the portal is https://portal.acme.com/login"},
	{"kept in 1Password", "The password is in 1Password under Acme"},
	{"expired", "the password expired"},
	{"required", "password is required for the SFTP server"},
	{"password manager", "their password manager is Bitwarden"},
	{"stored in vault", "the token is stored in Vault"},
	{"secret as a word", "the secret is that they hate the new UI"},
	{"key contact", "our key contact is Jane (VP Ops)"},
	{"sso login", "the login is via Okta SSO"},
	{"pin length", "PIN is 4 digits"},
	{"password length", "the password is 16 characters long"},
	{"key account percent", "the key account SLA is 99.9%"},
	{"bearer token mention", "we use a bearer token in the Authorization header"},
	{"api key from vault", "Use the API key from the vault, not the one in Slack"},
	{"full commit hash", "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed the token refresh"},
	{"placeholder url", "postgres://user:password@host:5432/db is the format they use"},
	{"username alone", "the username is jsmith"},
	{"request uuid", "request id 7f3c9a2e-1b4d-4c8e-9f6a-2d5b8e1c4a7f from the logs"},
	{"key driver", "Q3 revenue was 1.2M and the key driver was seats"},
	{"shared in LastPass", "credentials are shared in LastPass"},
	{"secret sauce", "the secret sauce is their onboarding"},
	{"admin console host", "Their admin console is at admin.acme.com"},
	{"pin code location", "the pin code is on the back of the badge"},
	{"keys expire", "API keys expire after 90 days"},
	{"passed the keys", "I passed the keys to Jane on 31/01/2027"},
	{"tokenization", "we talked about tokenization and key management"},
	{"session id in logs", "the session id is in the logs"},
	{"phone number", "call +1 555-123-4567 about the password reset"},
	{"version", "version v2.3.1 of the API is what they run"},
	{"see 1Password", "password: see 1Password, entry 'Acme Salesforce'"},
	{"changed on date", "the password was changed on 2024-03-01 by IT"},
	{"same as last year", "the password is the same as last year"},
	{"usual one", "Their password: the usual one, ask Dave"},
	{"env var mention", "the API key is stored as an env var"},
	{"token limit", "token limit is 4096 per request"},
	{"key to success", "the key is to call them every Monday"},
	{"login page", "their login page is https://acme.my.salesforce.com"},
	{"must contain", "the password must be at least 12 characters and contain a symbol"},
	{"reset link", "we need the password reset link for jane@acme.com"},
	{"credentials in vault", "the credentials are in the shared vault"},
	{"login with google", "login with your Google account"},
	{"rotated in March", "the access key was rotated in March"},
	{"token expiry seconds", "the token expires every 3600 seconds"},
	{"dollars", "ARR is $1.2M, up from $980k"},
	{"masked already", "the password is ******** and the token is <token>"},
	{"publishable key shape word", "pk_live_ keys are publishable, so that's fine"},
}
