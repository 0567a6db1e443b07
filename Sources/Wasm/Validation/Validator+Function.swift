extension Module {
    /// Validates defined function `index` alone, after the module-level checks its body depends on
    /// (as `validate` makes them); for re-checking one edited function of a module whose other
    /// parts are known. `moduleErrors` are the module-level errors, `error` the body's first error.
    public func validate(
        function index: Int, options: ValidationOptions = ValidationOptions()
    ) -> (moduleErrors: [ValidationError], error: ValidationError?) {
        guard functions.indices.contains(index) else { return ([], nil) }
        var validator = ModuleValidator(module: self, options: options)
        validator.validateModuleLevel()
        let moduleErrors = validator.errors
        var function = validator.functionValidator(index)
        do throws(ValidationError) {
            try validator.validateBody(index, with: &function)
        } catch {
            return (moduleErrors, error)
        }
        return (moduleErrors, nil)
    }
}
