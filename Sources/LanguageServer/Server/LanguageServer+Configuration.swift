import JSON

extension LanguageServer {
    /// Applies a settings object (from `initializationOptions`, `didChangeConfiguration` or the
    /// client's answer to `workspace/configuration`): bad values are reported with
    /// `window/showMessage` and ignored; a change of what analysis depends on re-analyses every
    /// open document.
    func applySettings(_ value: JSONValue?) async {
        let before = settings
        for problem in settings.apply(value) {
            logger.warning("settings: \(problem)")
            sink.send(OutgoingMessage.notification(method: "window/showMessage", params: [
                "type": 2, "message": .string("clifford settings: \(problem)"),
            ]))
        }
        await settingsChanged(from: before)
    }

    /// Brings the analysers, the scheduler and the diagnostics filter in line with `settings`.
    func settingsChanged(from before: ServerSettings) async {
        diagnosticFilter.set(settings.diagnostics)
        if settings.debounce != before.debounce { await scheduler?.setDebounce(settings.debounce) }
        let tunables = settings.tunables
        let translationChanged = tunables != before.tunables
        if translationChanged {
            logger.info("translating for \(tunables.target.rawValue) with \(settings.optimize + settings.wasm + settings.codegen)")
            services = LanguageServices.standard(tunables: tunables)
            await scheduler?.setServices(services)
        }
        guard translationChanged || settings.diagnostics != before.diagnostics, let scheduler else { return }
        let open = Array(workspace.documents.values)
        await scheduler.rescheduleAll(open)
        if client.pullsDiagnostics && client.diagnosticRefresh {
            // Ask the client to pull again once the new analyses are there.
            let wait = settings.requestWait
            Task {
                for snapshot in open { _ = await scheduler.analysis(uri: snapshot.uri, timeout: wait) }
                self.sendToClient("workspace/diagnostic/refresh", nil)
            }
        }
    }

    /// Asks a client that supports `workspace/configuration` for the `clifford` section and
    /// applies the answer; `null` keeps the current settings. The answer is awaited in a task of
    /// its own, since it arrives through the same reader as everything else.
    func pullConfiguration() {
        guard client.configuration, phase == .running else { return }
        Task {
            let answer = await self.requestFromClient("workspace/configuration", ["items": [["section": "clifford"]]])
            await self.applyPulledConfiguration(answer)
        }
    }

    private func applyPulledConfiguration(_ answer: ClientAnswer) async {
        guard phase == .running else { return }
        switch answer {
        case .result(let result):
            guard let items = result.arrayValue else {
                logger.warning("workspace/configuration answered \(result), not an array")
                return
            }
            if let section = items.first, !section.isNull { await applySettings(section) }
        case .error(let error):
            logger.warning("workspace/configuration failed in the client: \(error.message)")
        case .none:
            break
        }
    }
}
