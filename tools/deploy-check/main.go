// Command deploy-check builds a kustomization directory with kustomize's Go API (krusty) and
// decodes every resulting object strictly into the Kubernetes API's Go types: an unknown kind,
// apiVersion or field is a problem. Prints one line per problem; exits 1 when there is any,
// 2 on a usage or build error.
//
// Usage: deploy-check [--print] KUSTOMIZATION_DIR
// With --print, the built YAML (as `kustomize build` prints it) goes to stdout first.
package main

import (
	"fmt"
	"os"
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// known maps "apiVersion kind" to the Go type the object must decode into.
var known = map[string]reflect.Type{
	"apps/v1 Deployment":                              reflect.TypeOf(appsv1.Deployment{}),
	"apps/v1 DaemonSet":                               reflect.TypeOf(appsv1.DaemonSet{}),
	"apps/v1 StatefulSet":                             reflect.TypeOf(appsv1.StatefulSet{}),
	"v1 Namespace":                                    reflect.TypeOf(corev1.Namespace{}),
	"v1 Service":                                      reflect.TypeOf(corev1.Service{}),
	"v1 ConfigMap":                                    reflect.TypeOf(corev1.ConfigMap{}),
	"v1 Secret":                                       reflect.TypeOf(corev1.Secret{}),
	"v1 ServiceAccount":                               reflect.TypeOf(corev1.ServiceAccount{}),
	"v1 PersistentVolumeClaim":                        reflect.TypeOf(corev1.PersistentVolumeClaim{}),
	"policy/v1 PodDisruptionBudget":                   reflect.TypeOf(policyv1.PodDisruptionBudget{}),
	"rbac.authorization.k8s.io/v1 Role":               reflect.TypeOf(rbacv1.Role{}),
	"rbac.authorization.k8s.io/v1 RoleBinding":        reflect.TypeOf(rbacv1.RoleBinding{}),
	"rbac.authorization.k8s.io/v1 ClusterRole":        reflect.TypeOf(rbacv1.ClusterRole{}),
	"rbac.authorization.k8s.io/v1 ClusterRoleBinding": reflect.TypeOf(rbacv1.ClusterRoleBinding{}),
}

func main() {
	args := os.Args[1:]
	print := len(args) == 2 && args[0] == "--print"
	if print {
		args = args[1:]
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: deploy-check [--print] KUSTOMIZATION_DIR")
		os.Exit(2)
	}
	problems, err := check(args[0], print)
	if err != nil {
		fmt.Fprintf(os.Stderr, "deploy-check: %v\n", err)
		os.Exit(2)
	}
	for _, problem := range problems {
		fmt.Println(problem)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}

// check builds dir and returns one line per object that does not decode strictly.
// With print, the built YAML goes to stdout first.
func check(dir string, print bool) ([]string, error) {
	kustomizer := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resources, err := kustomizer.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	if print {
		built, err := resources.AsYaml()
		if err != nil {
			return nil, fmt.Errorf("printing %s: %w", dir, err)
		}
		fmt.Print(string(built))
	}
	var problems []string
	for _, resource := range resources.Resources() {
		name := fmt.Sprintf("%s %s/%s", resource.GetKind(), resource.GetNamespace(), resource.GetName())
		key := resource.GetApiVersion() + " " + resource.GetKind()
		goType, ok := known[key]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: unknown apiVersion/kind %q", name, key))
			continue
		}
		document, err := resource.AsYAML()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		target := reflect.New(goType).Interface()
		if err := yaml.UnmarshalStrict(document, target); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
		}
	}
	return problems, nil
}
