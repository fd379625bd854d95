{{- define "hub.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hub.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* SHARDS as the apps read it: domain=host:port,... */}}
{{- define "hub.shards" -}}
{{- $entries := list -}}
{{- range .Values.shards -}}
{{- $entries = append $entries (printf "%s=%s:%d" .domain .host (int .port)) -}}
{{- end -}}
{{- join "," $entries -}}
{{- end -}}

{{/* Environment shared by the gateway and the worker. */}}
{{- define "hub.commonEnv" -}}
- name: REDIS_URL
  value: {{ .Values.redis.url | quote }}
- name: SHARDS
  value: {{ include "hub.shards" . | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Authentication from the auth Secret: on, with the service credential and the redaction key. */}}
{{- define "hub.authEnv" -}}
- name: AUTH
  value: "on"
- name: AUTH_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ required "auth.existingSecret is required: a Secret with the service credential and the redaction key" .Values.auth.existingSecret }}
      key: {{ .Values.auth.serviceTokenKey }}
- name: REDACTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.auth.existingSecret }}
      key: {{ .Values.auth.redactionKeyKey }}
{{- if .Values.auth.oidc.issuer }}
- name: OIDC_ISSUER
  value: {{ .Values.auth.oidc.issuer | quote }}
- name: OIDC_AUDIENCE
  value: {{ .Values.auth.oidc.audience | quote }}
- name: OIDC_JWKS_URL
  value: {{ .Values.auth.oidc.jwksUrl | quote }}
- name: OIDC_ROLES_CLAIM
  value: {{ .Values.auth.oidc.rolesClaim | quote }}
- name: OIDC_DOMAINS_CLAIM
  value: {{ .Values.auth.oidc.domainsClaim | quote }}
{{- end }}
{{- if .Values.auth.corsOrigins }}
- name: CORS_ORIGINS
  value: {{ join "," .Values.auth.corsOrigins | quote }}
{{- end }}
{{- end -}}
