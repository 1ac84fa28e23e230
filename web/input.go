package web

import (
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/validation"
)

// Every value a request carries is text PostgreSQL must be able to store: valid UTF-8 without NUL bytes.
// checkInput refuses any other query parameter, path parameter or form value with a 400 naming it, before
// a handler runs; decodeJSON does the same for JSON bodies. Fields that are names, questions or
// corrections are held to stricter rules (validation.Line and validation.Multiline): in JSON by the
// `text` tag of the request's field, in forms by formText.

type textRule string

const (
	textLine      textRule = "line"      // a name: one line, no controls
	textMultiline textRule = "multiline" // a question or a correction: line breaks allowed
)

func (r textRule) check(s string) string {
	switch r {
	case textLine:
		return validation.Line(s)
	case textMultiline:
		return validation.Multiline(s)
	}
	return validation.Encoding(s)
}

// formText names, by route, the form fields that are names, questions or corrections.
var formText = map[string]map[string]textRule{
	"/users":                        {"name": textLine},
	"/interviews":                   {"csm_name": textLine},
	"/api/v1/interviews/import":     {"csm.name": textLine},
	"/questions":                    {"text": textMultiline, "account": textLine},
	"/search/ask":                   {"question": textMultiline, "account": textLine},
	"/interview/review/:finding_id": {"text": textMultiline},
	"/interview/review/approve":     {"account": textLine},
}

// checkInput is the edge check of query parameters, path parameters and form values.
func (s *Server) checkInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		errs := validation.Errors{}
		values := c.ParamValues()
		for i, name := range c.ParamNames() {
			if i < len(values) {
				if p := validation.Encoding(values[i]); p != "" {
					errs.Add(name, p)
				}
			}
		}
		checkValues(errs, c.QueryParams(), nil)
		// An attached file is read as a stream by its handler, which checks its fields itself.
		if isForm(c.Request()) && c.Path() != attachmentsRoute {
			form, err := c.FormParams()
			switch {
			case tooLarge(err):
				return errTooLarge
			case err != nil:
				return newError(http.StatusBadRequest, "invalid_form", "The form could not be read; send it as application/x-www-form-urlencoded or multipart/form-data.")
			}
			checkValues(errs, form, formText[c.Path()])
		}
		if err := inputError(errs); err != nil {
			return err
		}
		return next(c)
	}
}

func isForm(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return err == nil && (mt == echo.MIMEApplicationForm || mt == echo.MIMEMultipartForm)
}

func checkValues(errs validation.Errors, values map[string][]string, rules map[string]textRule) {
	for name, vs := range values {
		field := fieldName(name)
		if p := validation.Encoding(name); p != "" {
			errs.Add(field, "has a name that "+p)
			continue
		}
		for _, v := range vs {
			if p := rules[name].check(v); p != "" {
				errs.Add(field, p)
			}
		}
	}
}

// fieldName makes a field's name safe to show, whatever bytes it came as.
func fieldName(name string) string {
	name = strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "?")
	if len(name) > 100 {
		name = name[:100]
	}
	return strings.ToValidUTF8(name, "")
}

// inputError is the 400 for values that are not acceptable text, naming each field in its message too,
// for the pages that show only the message.
func inputError(errs validation.Errors) error {
	if len(errs) == 0 {
		return nil
	}
	names := make([]string, 0, len(errs))
	for f := range errs {
		names = append(names, f)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, f := range names {
		parts[i] = strconv.Quote(f) + " " + errs[f]
	}
	return &apiError{Status: http.StatusBadRequest, Code: "invalid_input",
		Message: "Some fields are not acceptable text: " + strings.Join(parts, "; ") + ".", Fields: errs}
}

// checkJSONText walks a decoded request and checks every string in it, naming fields by their JSON path
// ("accounts[2].name"). A field tagged `text:"line"` or `text:"multiline"` is held to that rule.
func checkJSONText(v any) error {
	errs := validation.Errors{}
	walkText(errs, reflect.ValueOf(v), "", "")
	return inputError(errs)
}

func walkText(errs validation.Errors, v reflect.Value, path string, rule textRule) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(errs, v.Elem(), path, rule)
		}
	case reflect.String:
		if p := rule.check(v.String()); p != "" {
			errs.Add(path, p)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				walkText(errs, v.Field(i), path, rule)
				continue
			}
			if path != "" {
				name = path + "." + name
			}
			walkText(errs, v.Field(i), name, textRule(f.Tag.Get("text")))
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // json.RawMessage: parsed, and checked, by the handler
		}
		for i := range v.Len() {
			walkText(errs, v.Index(i), fmt.Sprintf("%s[%d]", path, i), rule)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			if p := validation.Encoding(k); p != "" {
				errs.Add(path, "has a key that "+p)
				continue
			}
			walkText(errs, iter.Value(), path+"."+k, rule)
		}
	}
}
