// Package labs holds LinkLab's domain: the types of labs, people, roles and
// documents, the store interfaces the engines implement, and the one error
// type every layer speaks. It imports only the standard library, so every
// other package can depend on it and it depends on none of them.
package labs
