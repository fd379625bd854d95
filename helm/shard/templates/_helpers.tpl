{{/* Name of this release's objects, at most 63 characters. */}}
{{- define "shard.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shard.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
lineage-hub/domain: {{ .Values.domain | quote }}
{{- end -}}

{{- define "shard.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* host:port the gateway dials for RPC: the value given, else this release's service DNS name. */}}
{{- define "shard.advertise" -}}
{{- if .Values.advertise -}}
{{- .Values.advertise -}}
{{- else -}}
{{- printf "%s.%s.svc.cluster.local:%d" (include "shard.fullname" .) .Release.Namespace (int .Values.ports.rpc) -}}
{{- end -}}
{{- end -}}

{{/* Authentication from the auth Secret: on, with the service credential and the redaction key. */}}
{{- define "shard.authEnv" -}}
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
