/// Options of a validation run.
public struct ValidationOptions: Sendable {
    /// Stop after the first error (as `wasm-tools validate` does) instead of reporting every function.
    public var stopsAtFirstError: Bool
    /// More than one memory (multi-memory, standard since Wasm 3.0).
    public var allowsMultipleMemories: Bool
    /// More than one table (reference types, standard since Wasm 2.0).
    public var allowsMultipleTables: Bool
    /// The custom-descriptors proposal (off by default, as in `wasm-tools validate`): besides its own
    /// instructions it lets `br_on_cast` and `br_on_cast_fail` cast between any two types of one hierarchy.
    public var customDescriptors: Bool

    public init(
        stopsAtFirstError: Bool = false, allowsMultipleMemories: Bool = true, allowsMultipleTables: Bool = true,
        customDescriptors: Bool = false
    ) {
        self.stopsAtFirstError = stopsAtFirstError
        self.customDescriptors = customDescriptors
        self.allowsMultipleMemories = allowsMultipleMemories
        self.allowsMultipleTables = allowsMultipleTables
    }
}

extension Module {
    /// Validates the module; an empty list means valid. Each function body reports at most its first
    /// error; module-level checks report every error they find.
    public func validate(_ options: ValidationOptions = ValidationOptions()) -> [ValidationError] {
        var validator = ModuleValidator(module: self, options: options)
        validator.run()
        return validator.errors
    }

    /// The operand stack before each instruction of defined function `index` (nil entries are the
    /// unknown type of unreachable code), up to the first error; nil when the index is out of range.
    public func operandStacks(
        ofFunction index: Int, options: ValidationOptions = ValidationOptions()
    ) -> [[ValueType?]]? {
        guard index < functions.count else { return nil }
        var validator = ModuleValidator(module: self, options: options)
        validator.validateGlobals()
        var function = validator.functionValidator(index)
        function.recordsStacks = true
        do throws(ValidationError) {
            try validator.validateBody(index, with: &function)
        } catch {}
        return function.stacks
    }
}

/// Validates the module-level rules and then every function body.
struct ModuleValidator {
    let module: Module
    let options: ValidationOptions
    var context: ModuleContext
    var errors: [ValidationError] = []

    init(module: Module, options: ValidationOptions) {
        self.module = module
        self.options = options
        self.context = ModuleContext(module)
    }

    var types: TypeContext { context.types }

    var shouldStop: Bool { options.stopsAtFirstError && !errors.isEmpty }

    mutating func report(_ error: ValidationError) {
        errors.append(error)
    }

    mutating func run() {
        validateModuleLevel()
        if shouldStop { return }
        for index in module.functions.indices {
            var function = functionValidator(index)
            do throws(ValidationError) {
                try validateBody(index, with: &function)
            } catch {
                report(error)
                if shouldStop { return }
            }
        }
    }

    /// Every check outside the function bodies, in the order `run` makes them.
    mutating func validateModuleLevel() {
        validateTypes()
        if shouldStop { return }
        validateImports()
        validateFunctionDeclarations()
        validateTables()
        validateMemories()
        validateCounts()
        validateTags()
        validateGlobals()
        if shouldStop { return }
        validateExports()
        validateStart()
        validateElements()
        validateData()
    }

    func functionValidator(_ index: Int) -> FunctionValidator {
        var validator = FunctionValidator(context: context, function: index, owner: .functionBody(index))
        validator.relaxedCasts = options.customDescriptors
        return validator
    }

    func validateBody(_ index: Int, with validator: inout FunctionValidator) throws(ValidationError) {
        let function = module.functions[index]
        guard let type = types.functionType(function.typeIndex) else {
            throw ValidationError("type mismatch: function \(index) does not have a function type",
                                  at: .functionDeclaration(index))
        }
        var locals = type.parameters
        var total = type.parameters.count
        for (groupIndex, group) in function.locals.enumerated() {
            total += Int(group.count)
            guard total <= 50_000 else {
                throw ValidationError("too many locals: locals exceed maximum", at: .localGroup(function: index, index: groupIndex))
            }
            do throws(ValidationError) {
                try validator.checkValueType(group.type)
            } catch {
                throw ValidationError(error.message, at: .localGroup(function: index, index: groupIndex))
            }
            locals.append(contentsOf: repeatElement(group.type, count: Int(group.count)))
        }
        if locals[type.parameters.count...].contains(where: { !$0.isDefaultable }) {
            validator.tracksInitialization = true
            validator.initialized = locals.indices.map { $0 < type.parameters.count || locals[$0].isDefaultable }
        }
        validator.locals = locals
        try validator.run(function.body, results: type.results)
    }

    /// Validates a constant expression that must produce `type`.
    mutating func validateConstant(
        _ expression: ConstExpr, type: ValueType, owner: ModuleItem, visibleGlobals: Int
    ) {
        var validator = FunctionValidator(context: context, function: nil, owner: owner)
        validator.relaxedCasts = options.customDescriptors
        validator.isConstant = true
        validator.visibleGlobals = visibleGlobals
        do throws(ValidationError) {
            try validator.run(expression.instructions, results: [type])
        } catch {
            report(error)
        }
    }
}
