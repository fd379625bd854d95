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
